import type { FeatureSet } from './feature-set';

/**
 * Features laid out for training: every segment in one Float32Array (segments × frames ×
 * coefficients), with its label and the index of the clip it came from. This is what crosses
 * into the training worker, as three transferable buffers.
 */
export interface TrainingData {
  genres: string[];
  clipPaths: string[];
  frames: number;
  coefficients: number;
  x: Float32Array;
  labels: Int32Array;
  clipOf: Int32Array;
}

export function toTrainingData(set: FeatureSet): TrainingData {
  const size = set.frames * set.coefficients;
  const n = set.clips.reduce((s, c) => s + c.segments.length, 0);
  const x = new Float32Array(n * size);
  const labels = new Int32Array(n);
  const clipOf = new Int32Array(n);
  const labelOf = new Map(set.genres.map((g, i) => [g, i]));
  let k = 0;
  set.clips.forEach((clip, ci) => {
    for (const seg of clip.segments) {
      if (seg.length !== size) throw new Error(`${clip.path}: a segment has ${seg.length} values, expected ${size}`);
      x.set(seg, k * size);
      labels[k] = labelOf.get(clip.genre) ?? -1;
      clipOf[k] = ci;
      k++;
    }
  });
  return { genres: set.genres, clipPaths: set.clips.map((c) => c.path), frames: set.frames, coefficients: set.coefficients, x, labels, clipOf };
}

/** Labels and clip of every segment, without copying the features: enough to preview a split. */
export function splitInputOf(set: FeatureSet): { genres: string[]; clipPaths: string[]; labels: Int32Array; clipOf: Int32Array } {
  const n = set.clips.reduce((s, c) => s + c.segments.length, 0);
  const labels = new Int32Array(n);
  const clipOf = new Int32Array(n);
  const labelOf = new Map(set.genres.map((g, i) => [g, i]));
  let k = 0;
  set.clips.forEach((clip, ci) => {
    for (let j = 0; j < clip.segments.length; j++, k++) {
      labels[k] = labelOf.get(clip.genre) ?? -1;
      clipOf[k] = ci;
    }
  });
  return { genres: set.genres, clipPaths: set.clips.map((c) => c.path), labels, clipOf };
}

export function segmentTotal(d: TrainingData): number {
  return d.labels.length;
}
