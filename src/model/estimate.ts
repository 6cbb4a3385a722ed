import * as tf from '@tensorflow/tfjs';
import { buildModel } from './build';
import type { ModelConfig } from './config';

/**
 * Milliseconds per training batch of random data for a model, after one warm-up batch (shader
 * compilation, WASM start-up). The page shows it as the expected time per epoch; the training
 * benchmark prints it per backend.
 */
export async function msPerBatch(config: ModelConfig, batchSize: number, runs = 2, build: (c: ModelConfig) => tf.LayersModel = buildModel): Promise<number> {
  const model = build(config);
  const xs = tf.randomNormal([batchSize, config.frames, config.coefficients]);
  const ys = tf.zeros([batchSize, 1]);
  try {
    await model.trainOnBatch(xs, ys);
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await model.trainOnBatch(xs, ys);
    return (performance.now() - t0) / runs;
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}
