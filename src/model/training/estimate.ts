import * as tf from '@tensorflow/tfjs';
import { buildModel, usesLstm } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import { FastCnn } from '../fast-cnn/fast-cnn';
import { FastModel } from '../fast-lstm/fast-model';
import { CnnParallelTrainer } from '../parallel/cnn-parallel';
import { DataParallelTrainer, type GradientWorker } from '../parallel/data-parallel';
import { onWebGpu } from '../backend/webgpu';

/**
 * Milliseconds per training batch of random data for a model, after two warm-up batches, with
 * the trainer training uses (the fast LSTM or the fast CNN where they run, tfjs's layers
 * elsewhere, WebGPU included), its batches shared with `helpers` (the data-parallel threads) when
 * given. The page shows it as the expected time per epoch; the training benchmark prints it.
 */
export async function msPerBatch(config: ModelConfig, batchSize: number, runs = 2, fastLstm = true, helpers: GradientWorker[] = []): Promise<number> {
  const model = buildModel(config);
  const trainer = fastLstm && usesLstm(config) && !onWebGpu() ? new DataParallelTrainer(new FastModel(model), config.learningRate, helpers)
    : !usesLstm(config) && FastCnn.usable(model) ? new CnnParallelTrainer(new FastCnn(model), config.learningRate, helpers) : undefined;
  if (!trainer) for (const h of helpers) h.dispose();
  const xs = tf.randomNormal([batchSize, config.frames, config.coefficients]) as tf.Tensor3D;
  const ys = tf.zeros([batchSize, 1]);
  const values = xs.dataSync() as Float32Array;
  const labels = new Float32Array(batchSize);
  const step = async () => {
    if (trainer) await trainer.step(values, labels, batchSize, config.frames, config.coefficients);
    else await model.trainOnBatch(xs, ys);
  };
  try {
    // Two warm-up steps: WebAssembly functions start on V8's baseline compiler and move to the
    // optimising one after they have run a while, which the kernels' few long calls take a step or two to reach.
    await step();
    await step();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await step();
    return (performance.now() - t0) / runs;
  } finally {
    tf.dispose([xs, ys]);
    trainer?.dispose();
    // The layers model's own optimizer holds Adam's slots; dispose() of the model leaves them.
    model.optimizer?.dispose();
    model.dispose();
  }
}
