import * as tf from '@tensorflow/tfjs';
import type { Augmenter } from './augment';
import type { TrainingData } from './dataset';

/** Copies the chosen segments into one block, the input of one batch. */
export function gather(d: TrainingData, x: Float32Array, indices: number[]): Float32Array {
  const size = d.frames * d.coefficients;
  const out = new Float32Array(indices.length * size);
  indices.forEach((i, k) => out.set(x.subarray(i * size, (i + 1) * size), k * size));
  return out;
}

/** A training batch as arrays: its segments (shifted and masked copies, with an augmenter) and labels. */
export function batchValues(d: TrainingData, x: Float32Array, indices: number[], augmenter?: Augmenter): { values: Float32Array; labels: Float32Array } {
  return {
    values: augmenter ? augmenter.batch(x, indices) : gather(d, x, indices),
    labels: Float32Array.from(indices, (i) => d.labels[i]),
  };
}

/** The same batch as tensors, [rows, frames, coefficients] and [rows, 1]. */
export function batchTensors(d: TrainingData, x: Float32Array, indices: number[], augmenter?: Augmenter): { xs: tf.Tensor3D; ys: tf.Tensor2D } {
  const { values, labels } = batchValues(d, x, indices, augmenter);
  return { xs: tf.tensor3d(values, [indices.length, d.frames, d.coefficients]), ys: tf.tensor2d(labels, [indices.length, 1]) };
}

/** Anything that maps a batch of segments to class probabilities. */
export type Predictor = (xs: tf.Tensor3D) => tf.Tensor;

export function layersPredictor(model: tf.LayersModel): Predictor {
  return (xs) => model.predict(xs) as tf.Tensor;
}

/** Class probabilities of the chosen segments, predicted in batches, as one flat array. */
export async function predictProbabilities(
  predict: Predictor, d: TrainingData, x: Float32Array, indices: number[], batchSize = 64,
): Promise<Float32Array> {
  const classes = d.genres.length;
  const out = new Float32Array(indices.length * classes);
  for (let s = 0; s < indices.length; s += batchSize) {
    const chunk = indices.slice(s, s + batchSize);
    const xs = tf.tensor3d(gather(d, x, chunk), [chunk.length, d.frames, d.coefficients]);
    const probs = predict(xs);
    out.set(await probs.data(), s * classes);
    tf.dispose([xs, probs]);
  }
  return out;
}
