import type { TrainingData } from './dataset';

export interface GenreAccuracy {
  genre: string;
  accuracy: number;
  segments: number;
}

export interface Evaluation {
  /** Fraction of test segments classified right. */
  segmentAccuracy: number;
  /** Fraction of test clips classified right by the mean of their segments' probabilities. */
  clipAccuracy: number;
  segments: number;
  clips: number;
  loss: number;
  /** confusion[true][predicted], counted over test segments. */
  confusion: number[][];
  perGenre: GenreAccuracy[];
}

function argmax(p: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (p[offset + k] > p[offset + best]) best = k;
  return best;
}

/** Scores predicted probabilities (indices.length × classes) against the true labels. */
export function evaluatePredictions(d: TrainingData, indices: number[], probs: Float32Array): Evaluation {
  const c = d.genres.length;
  const confusion = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  let right = 0;
  let loss = 0;
  const clipSums = new Map<number, { label: number; sum: Float64Array }>();
  indices.forEach((seg, k) => {
    const label = d.labels[seg];
    const pred = argmax(probs, k * c, c);
    confusion[label][pred]++;
    if (pred === label) right++;
    loss -= Math.log(Math.max(1e-7, probs[k * c + label]));
    let clip = clipSums.get(d.clipOf[seg]);
    if (!clip) clipSums.set(d.clipOf[seg], (clip = { label, sum: new Float64Array(c) }));
    for (let j = 0; j < c; j++) clip.sum[j] += probs[k * c + j];
  });
  let clipsRight = 0;
  for (const { label, sum } of clipSums.values()) {
    let best = 0;
    for (let j = 1; j < c; j++) if (sum[j] > sum[best]) best = j;
    if (best === label) clipsRight++;
  }
  const n = Math.max(1, indices.length);
  return {
    segmentAccuracy: right / n,
    clipAccuracy: clipsRight / Math.max(1, clipSums.size),
    segments: indices.length,
    clips: clipSums.size,
    loss: loss / n,
    confusion,
    perGenre: d.genres.map((genre, g) => {
      const total = confusion[g].reduce((a, b) => a + b, 0);
      return { genre, accuracy: total ? confusion[g][g] / total : 0, segments: total };
    }),
  };
}
