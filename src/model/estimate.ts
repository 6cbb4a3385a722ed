import * as tf from '@tensorflow/tfjs';
import { buildModel, usesLstm } from './build';
import type { ModelConfig } from './config';
import { FastTrainer } from './fast-lstm/fast-trainer';

/**
 * Milliseconds per training batch of random data for a model, after one warm-up batch (shader
 * compilation, WASM start-up). The page shows it as the expected time per epoch; the training
 * benchmark prints it per backend.
 */
export async function msPerBatch(config: ModelConfig, batchSize: number, runs = 2, fastLstm = true): Promise<number> {
  const model = buildModel(config);
  const fast = fastLstm && usesLstm(config) ? new FastTrainer(model, config.learningRate) : undefined;
  const xs = tf.randomNormal([batchSize, config.frames, config.coefficients]) as tf.Tensor3D;
  const ys = tf.zeros([batchSize, 1]);
  const step = async () => {
    if (fast) await fast.step(xs, ys);
    else await model.trainOnBatch(xs, ys);
  };
  try {
    await step();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await step();
    return (performance.now() - t0) / runs;
  } finally {
    tf.dispose([xs, ys]);
    fast?.dispose();
    // The layers model's own optimizer holds Adam's slots; dispose() of the model leaves them.
    model.optimizer?.dispose();
    model.dispose();
  }
}
