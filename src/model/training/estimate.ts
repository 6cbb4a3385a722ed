import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import { specOf } from '../architectures/spec';
import type { ThreadReplica } from '../parallel/replica';
import { startEngine } from './choose-engine';

/**
 * Milliseconds per training batch of random data for a model, after two warm-up batches, with
 * the engine training uses (chooseEngine: the SIMD LSTM or CNN where they run, tfjs's layers
 * elsewhere, WebGPU included; `simd` false: tfjs's layers), its batches shared with `helpers` (the
 * data-parallel threads) when given. The page shows it as the expected time per epoch; the training benchmark prints it.
 */
export async function msPerBatch(config: ModelConfig, batchSize: number, runs = 2, simd = true, helpers: ThreadReplica[] = []): Promise<number> {
  const spec = specOf(config);
  const model = buildModel(spec);
  let asked = false;
  const { trainer } = startEngine(model, spec, { backend: tf.getBackend(), simd }, () => {
    asked = true;
    return helpers;
  }, 0);
  if (!asked) for (const h of helpers) h.dispose();
  const xs = tf.randomNormal([batchSize, config.frames, config.coefficients]) as tf.Tensor3D;
  const values = xs.dataSync() as Float32Array;
  const labels = new Float32Array(batchSize);
  const step = () => trainer.step(values, labels, batchSize, config.frames, config.coefficients);
  try {
    // Two warm-up steps: WebAssembly functions start on V8's baseline compiler and move to the
    // optimising one after they have run a while, which the kernels' few long calls take a step or two to reach.
    await step();
    await step();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await step();
    return (performance.now() - t0) / runs;
  } finally {
    xs.dispose();
    trainer.dispose();
    // The layers model's own optimizer holds Adam's slots; dispose() of the model leaves them.
    model.optimizer?.dispose();
    model.dispose();
  }
}
