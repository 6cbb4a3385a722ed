/**
 * Holds the fast CNN path to tfjs on the backend in use (tfjs-cpu in the tests and the self-check
 * page): the loss and every weight's gradient of one batch in training mode, and the class
 * probabilities with the moving statistics, for small odd-sized models. Used by the Node tests
 * and by self-check.html, which runs it in Chromium with each SIMD build.
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../model/architectures/build';
import type { Architecture } from '../model/architectures/config';
import { specOf, type CnnSpec } from '../model/architectures/spec';
import { CnnModel } from '../model/engines/simd-cnn/cnn-model';
import { cnnPlanOf } from '../model/engines/simd-cnn/cnn-plan';
import { CnnTrainer } from '../model/engines/simd-cnn/cnn-trainer';

export interface CnnCase {
  architecture: Architecture;
  frames: number;
  coefficients: number;
  filters: number;
}

/**
 * Odd sizes on purpose: positions left over from the tiles of four, pooling remainders, and (4
 * filters) channel blocks of 4 beside those of 8 and 16.
 */
export const CNN_CASES: CnnCase[] = [
  { architecture: 'cnn', frames: 24, coefficients: 13, filters: 8 },
  { architecture: 'cnn', frames: 18, coefficients: 11, filters: 4 },
  { architecture: 'cnn', frames: 20, coefficients: 16, filters: 8 },
  { architecture: 'conv1d', frames: 26, coefficients: 13, filters: 8 },
  { architecture: 'conv1d', frames: 17, coefficients: 8, filters: 4 },
];

/** Largest |a − b| relative to the largest |b| (absolute where b is all below 1). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

export interface CnnComparison {
  loss: number;
  /** Per trainable weight, in the model's order. */
  gradients: { name: string; error: number }[];
  probabilities: number;
}

/** The fast path against tfjs for one case: absolute loss error, relative gradient and probability errors. */
export async function compareCnnWithTfjs(c: CnnCase): Promise<CnnComparison> {
  const spec = specOf({
    frames: c.frames,
    coefficients: c.coefficients,
    classes: 3,
    architecture: c.architecture,
    filters: c.filters,
    lstmUnits: [4],
    denseUnits: 12,
    dropout: 0,
    learningRate: 1e-3,
  }) as CnnSpec;
  const model = buildModel(spec);
  // Weights away from their initial zeros and ones, so γ, β and the moving statistics matter.
  model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.add(w, tf.mul(tf.sin(tf.add(tf.range(0, w.size), i)).reshape(w.shape), 0.2)))));
  const rows = 6;
  const labels = [0, 2, 1, 1, 0, 2];
  const x = Float32Array.from({ length: rows * c.frames * c.coefficients }, (_, i) => Math.sin(0.37 * i + 1) * (1 + (i % 7) / 7));
  const xs = tf.tensor3d(x, [rows, c.frames, c.coefficients]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const probs = model.apply(xs, { training: true }) as tf.Tensor;
    return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(probs)), 1))) as tf.Scalar;
  }, vars);
  const want = vars.map((v) => grads[v.name].dataSync() as Float32Array);
  const wantLoss = value.dataSync()[0];
  const probs = model.predict(xs) as tf.Tensor;
  const wantProbs = probs.dataSync() as Float32Array;
  tf.dispose([xs, ys, value, probs, ...Object.values(grads)]);
  const fast = new CnnModel(model, cnnPlanOf(spec)!);
  const got = await new CnnTrainer(fast, 1e-3).gradients(x, Float32Array.from(labels), rows, c.frames, c.coefficients);
  const gotProbs = await fast.predictValues(x, rows, c.frames, c.coefficients);
  const result = {
    loss: Math.abs(got.loss - wantLoss),
    gradients: got.grads.map((g, i) => ({ name: model.trainableWeights[i].name, error: relativeError(g, want[i]) })),
    probabilities: relativeError(gotProbs, wantProbs),
  };
  model.dispose();
  return result;
}
