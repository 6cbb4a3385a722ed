import * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../saving/metadata';
import { applyStandardization } from '../model/data/standardize';

export interface Classification {
  genres: string[];
  /** Mean of the segment probabilities: the answer for the whole clip. */
  clip: number[];
  /** One probability vector per segment, in time order. */
  segments: number[][];
}

/** Why a model cannot take these features, or undefined when it can. */
export function modelMismatch(model: tf.LayersModel, metadata: ModelMetadata): string | undefined {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const [frames, coefficients] = metadata.inputShape;
  if (input.length !== 3 || input[1] !== frames || input[2] !== coefficients) {
    return `the model takes input ${JSON.stringify(input.slice(1))} but its metadata describes segments of [${frames}, ${coefficients}] (frames, coefficients)`;
  }
  // [batch, genres] and nothing else: a model giving [batch, frames, genres] would be read as
  // garbage probabilities (the first `genres` numbers of each segment).
  if (output.length !== 2) {
    return `the model gives an output of shape ${JSON.stringify(output.slice(1))} per segment, not one probability per genre`;
  }
  if (output[1] !== metadata.genres.length) {
    return `the model has ${output[1]} outputs but its metadata names ${metadata.genres.length} genres`;
  }
  return undefined;
}

/** Classifies the segments of one clip, scaled as the model was trained. */
export async function classifySegments(model: tf.LayersModel, metadata: ModelMetadata, segments: Float32Array[]): Promise<Classification> {
  const [frames, coefficients] = metadata.inputShape;
  const size = frames * coefficients;
  if (segments.length === 0) throw new Error(`the clip is shorter than one segment (${metadata.features.trackSeconds / metadata.features.segments} s)`);
  const x = new Float32Array(segments.length * size);
  segments.forEach((s, i) => {
    if (s.length !== size) throw new Error(`a segment has ${s.length} values; the model takes ${frames} × ${coefficients}`);
    x.set(s, i * size);
  });
  if (metadata.standardization) applyStandardization(x, metadata.standardization, coefficients);
  const probs = tf.tidy(() => model.predict(tf.tensor3d(x, [segments.length, frames, coefficients])) as tf.Tensor);
  const flat = await probs.data();
  probs.dispose();
  // Finite weights can still overflow to NaN or Infinity; a made-up "NaN %" is worse than no answer.
  const bad = flat.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`the model gave ${flat[bad]} as a probability: it cannot classify this clip`);
  const c = metadata.genres.length;
  const perSegment = segments.map((_, i) => Array.from(flat.subarray(i * c, (i + 1) * c)));
  const clip = metadata.genres.map((_, k) => perSegment.reduce((s, p) => s + p[k], 0) / perSegment.length);
  return { genres: metadata.genres, clip, segments: perSegment };
}

/** Genres ranked by probability, for printing. */
export function ranked(c: Classification): { genre: string; probability: number }[] {
  return c.genres.map((genre, k) => ({ genre, probability: c.clip[k] })).sort((a, b) => b.probability - a.probability);
}
