import * as tf from '@tensorflow/tfjs';
import type { Augmenter } from './augment';
import type { TrainingData } from '../../dataset/training-data';

/** Copies the chosen segments into one block (`out`, fresh if not given), the input of one batch. */
export function gather(
  d: TrainingData,
  x: Float32Array,
  indices: number[],
  out: Float32Array = new Float32Array(indices.length * d.frames * d.coefficients),
): Float32Array {
  const size = d.frames * d.coefficients;
  indices.forEach((i, k) => {
    out.set(x.subarray(i * size, (i + 1) * size), k * size);
  });
  return out;
}

/**
 * A training batch as arrays: its segments (shifted and masked copies, with an augmenter) and
 * labels. With `into`, the segments go into it (a batch's worth, reused from batch to batch:
 * Chromium pays more for a fresh megabyte's pages than for filling it).
 */
export function batchValues(
  d: TrainingData,
  x: Float32Array,
  indices: number[],
  augmenter?: Augmenter,
  into?: Float32Array,
): { values: Float32Array; labels: Float32Array } {
  const out = into?.subarray(0, indices.length * d.frames * d.coefficients);
  return {
    values: augmenter ? augmenter.batch(x, indices, out) : gather(d, x, indices, out),
    labels: Float32Array.from(indices, (i) => d.labels[i]),
  };
}

/** The same batch as tensors, [rows, frames, coefficients] and [rows, 1]. */
export function batchTensors(d: TrainingData, x: Float32Array, indices: number[], augmenter?: Augmenter): { xs: tf.Tensor3D; ys: tf.Tensor2D } {
  const { values, labels } = batchValues(d, x, indices, augmenter);
  return { xs: tf.tensor3d(values, [indices.length, d.frames, d.coefficients]), ys: tf.tensor2d(labels, [indices.length, 1]) };
}

/** Anything that maps a block of `rows` segments (row-major) to their class probabilities, row after row. */
export interface Predictor {
  /** How many rows it takes at once. */
  rows: number;
  predict(values: Float32Array, rows: number): Promise<Float32Array>;
}

/** Class probabilities of the chosen segments, predicted in blocks, as one flat array. */
export async function predictProbabilities(predictor: Predictor, d: TrainingData, x: Float32Array, indices: number[]): Promise<Float32Array> {
  const classes = d.genres.length;
  const out = new Float32Array(indices.length * classes);
  for (let s = 0; s < indices.length; s += predictor.rows) {
    const chunk = indices.slice(s, s + predictor.rows);
    out.set(await predictor.predict(gather(d, x, chunk), chunk.length), s * classes);
  }
  return out;
}
