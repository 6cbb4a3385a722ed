import * as tf from '@tensorflow/tfjs';
import { buildModel, usesLstm } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import { FastModel } from '../fast-lstm/fast-model';
import { DataParallelTrainer } from '../parallel/data-parallel';

/**
 * Milliseconds per training batch of random data for a model, after one warm-up batch (shader
 * compilation, WASM start-up), on one thread and with the trainer training uses. The page shows
 * it as the expected time per epoch; the training benchmark prints it per backend.
 */
export async function msPerBatch(config: ModelConfig, batchSize: number, runs = 2, fastLstm = true): Promise<number> {
  const model = buildModel(config);
  const trainer = fastLstm && usesLstm(config) ? new DataParallelTrainer(new FastModel(model), config.learningRate) : undefined;
  const xs = tf.randomNormal([batchSize, config.frames, config.coefficients]) as tf.Tensor3D;
  const ys = tf.zeros([batchSize, 1]);
  const values = xs.dataSync() as Float32Array;
  const labels = new Float32Array(batchSize);
  const step = async () => {
    if (trainer) await trainer.step(values, labels, batchSize, config.frames, config.coefficients);
    else await model.trainOnBatch(xs, ys);
  };
  try {
    await step();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await step();
    return (performance.now() - t0) / runs;
  } finally {
    tf.dispose([xs, ys]);
    // The layers model's own optimizer holds Adam's slots; dispose() of the model leaves them.
    model.optimizer?.dispose();
    model.dispose();
  }
}
