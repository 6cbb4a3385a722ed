import type { TrainingData } from '../dataset/training-data';
import { balancedAccuracy, balancedBootstrap, clipBootstrap, wilson, type Interval } from './intervals';

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
  /** The mean over genres with a test clip of each genre's clip accuracy (absent in older kept runs). */
  balancedClipAccuracy?: number;
  segments: number;
  clips: number;
  loss: number;
  /** confusion[true][predicted], counted over test segments. */
  confusion: number[][];
  perGenre: GenreAccuracy[];
  /** Every test clip: its true and predicted genre (by the mean of its segments), both as output indices. */
  clipResults?: ClipResult[];
  /**
   * 95 % intervals over the test clips: Wilson's for clip accuracy, a clip bootstrap for segment
   * accuracy (a clip's segments are not independent). Absent in older kept runs.
   */
  intervals?: { clip: Interval; segment: Interval; balancedClip?: Interval };
}

export interface ClipResult {
  path: string;
  label: number;
  predicted: number;
  /** The clip's probabilities (mean of its segments'). */
  probabilities: number[];
  /** Each segment's probabilities, in time order. */
  segments: number[][];
}

function argmax(p: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (p[offset + k] > p[offset + best]) best = k;
  return best;
}

/** Scores predicted probabilities (indices.length × classes) against the true labels. */
export function evaluatePredictions(d: Pick<TrainingData, 'genres' | 'labels' | 'clipOf' | 'clipPaths'>, indices: number[], probs: Float32Array): Evaluation {
  const c = d.genres.length;
  const confusion = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  let right = 0;
  let loss = 0;
  const clipSums = new Map<number, { label: number; sum: Float64Array; segments: number[][] }>();
  indices.forEach((seg, k) => {
    const label = d.labels[seg];
    const pred = argmax(probs, k * c, c);
    confusion[label][pred]++;
    if (pred === label) right++;
    loss -= Math.log(Math.max(1e-7, probs[k * c + label]));
    let clip = clipSums.get(d.clipOf[seg]);
    if (!clip) {
      clip = { label, sum: new Float64Array(c), segments: [] };
      clipSums.set(d.clipOf[seg], clip);
    }
    for (let j = 0; j < c; j++) clip.sum[j] += probs[k * c + j];
    clip.segments.push(Array.from(probs.subarray(k * c, (k + 1) * c)));
  });
  let clipsRight = 0;
  const clipResults: ClipResult[] = [];
  const perClip: { right: number; segments: number }[] = [];
  for (const [clipIndex, { label, sum, segments }] of clipSums) {
    let best = 0;
    for (let j = 1; j < c; j++) if (sum[j] > sum[best]) best = j;
    if (best === label) clipsRight++;
    clipResults.push({ path: d.clipPaths[clipIndex], label, predicted: best, probabilities: Array.from(sum, (v) => v / segments.length), segments });
    perClip.push({ right: segments.filter((p) => p.indexOf(Math.max(...p)) === label).length, segments: segments.length });
  }
  const n = Math.max(1, indices.length);
  const outcomes = clipResults.map((r) => ({ label: r.label, right: r.predicted === r.label }));
  return {
    segmentAccuracy: right / n,
    clipAccuracy: clipsRight / Math.max(1, clipSums.size),
    segments: indices.length,
    balancedClipAccuracy: balancedAccuracy(outcomes),
    clips: clipSums.size,
    loss: loss / n,
    confusion,
    clipResults,
    intervals: { clip: wilson(clipsRight, clipSums.size), segment: clipBootstrap(perClip), balancedClip: balancedBootstrap(outcomes) },
    perGenre: d.genres.map((genre, g) => {
      const total = confusion[g].reduce((a, b) => a + b, 0);
      return { genre, accuracy: total ? confusion[g][g] / total : 0, segments: total };
    }),
  };
}
