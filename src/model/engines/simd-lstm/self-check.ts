/**
 * Compares the SIMD LSTM kernel with tf.layers.lstm on random weights and inputs: outputs and the
 * gradients for inputs, kernel, recurrent kernel and bias. Used by the Node tests and by the
 * self-check page, on the backends the kernel runs on (WASM and CPU).
 */
import * as tf from '@tensorflow/tfjs';
import { simdLstm } from './simd-lstm';

export interface EquivalenceCase {
  batch: number;
  steps: number;
  inputs: number;
  units: number;
  returnSequences: boolean;
  seed: number;
}

export const CASES: EquivalenceCase[] = [
  { batch: 3, steps: 5, inputs: 4, units: 12, returnSequences: true, seed: 1 },
  { batch: 3, steps: 5, inputs: 4, units: 12, returnSequences: false, seed: 2 },
  { batch: 2, steps: 17, inputs: 13, units: 8, returnSequences: true, seed: 3 },
  { batch: 4, steps: 9, inputs: 7, units: 16, returnSequences: false, seed: 4 },
  { batch: 5, steps: 34, inputs: 3, units: 4, returnSequences: true, seed: 5 },
  // The recipe's layers at full length: the SIMD kernel's usual work (an odd batch too).
  { batch: 3, steps: 130, inputs: 13, units: 64, returnSequences: true, seed: 7 },
  { batch: 3, steps: 130, inputs: 64, units: 64, returnSequences: false, seed: 8 },
];

/** Largest |a − b| over the largest |b|: the error relative to the reference's scale. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

export function compareWithLayersLstm(c: EquivalenceCase): Record<'output' | 'dInput' | 'dKernel' | 'dRecurrent' | 'dBias', number> {
  return tf.tidy(() => {
    const x = tf.randomNormal([c.batch, c.steps, c.inputs], 0, 1, 'float32', c.seed) as tf.Tensor3D;
    const w = tf.randomNormal([c.inputs, 4 * c.units], 0, 0.5, 'float32', c.seed + 10) as tf.Tensor2D;
    const u = tf.randomNormal([c.units, 4 * c.units], 0, 0.5, 'float32', c.seed + 20) as tf.Tensor2D;
    const b = tf.randomNormal([4 * c.units], 0, 0.5, 'float32', c.seed + 30) as tf.Tensor1D;
    const outShape = c.returnSequences ? [c.batch, c.steps, c.units] : [c.batch, c.units];
    // A random projection of the output makes every output element matter to the gradients.
    const r = tf.randomNormal(outShape, 0, 1, 'float32', c.seed + 40);

    const layer = tf.layers.lstm({ units: c.units, returnSequences: c.returnSequences, recurrentActivation: 'sigmoid' });
    layer.apply(x);
    layer.setWeights([w, u, b]);
    const refOut = layer.apply(x) as tf.Tensor;
    const refDx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi) as tf.Tensor, r)))(x);
    const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, vars);
    const [refDw, refDu, refDb] = vars.map((v) => grads[v.name]);

    const out = simdLstm(x, w, u, b, c.returnSequences, true);
    const [dx, dw, du, db] = tf.grads((...a: tf.Tensor[]) =>
      tf.sum(tf.mul(simdLstm(a[0] as tf.Tensor3D, a[1] as tf.Tensor2D, a[2] as tf.Tensor2D, a[3] as tf.Tensor1D, c.returnSequences, true), r)))([x, w, u, b]);
    layer.dispose();
    return {
      output: relativeError(out, refOut),
      dInput: relativeError(dx, refDx),
      dKernel: relativeError(dw, refDw),
      dRecurrent: relativeError(du, refDu),
      dBias: relativeError(db, refDb),
    };
  });
}
