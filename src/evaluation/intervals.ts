import { seededRandom } from '../model/data/random';

/** A 95 % interval of an accuracy, as fractions. */
export interface Interval {
  low: number;
  high: number;
}

const Z95 = 1.959963984540054;

/**
 * The Wilson score interval of k successes in n trials: unlike the normal approximation it stays
 * within [0, 1] and is honest for small n and accuracies near 0 or 1. The clips of a test split
 * are the trials of clip accuracy.
 */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * A percentile bootstrap interval of segment accuracy that resamples whole clips: a clip's
 * segments share its recording, artist and production, so they are not independent trials, and
 * an interval over segments would be far too narrow. Each clip is (segments right, segments).
 * Seeded, so the same evaluation always gives the same interval.
 */
export function clipBootstrap(clips: readonly { right: number; segments: number }[], resamples = 2000, seed = 1): Interval {
  const n = clips.length;
  if (n === 0) return { low: 0, high: 1 };
  const random = seededRandom(seed);
  const values = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let right = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = clips[Math.floor(random() * n)];
      right += c.right;
      total += c.segments;
    }
    values[r] = total ? right / total : 0;
  }
  values.sort();
  // Every clip equally right (all perfect, say): every resample gives the same accuracy and the
  // percentile interval shrinks to a point, as if 3 clips proved 100 %. Then the clips are the
  // trials, each with that accuracy: Wilson's interval over them.
  if (values[0] === values[resamples - 1]) return wilson(values[0] * n, n);
  const at = (q: number) => values[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))];
  return { low: at(0.025), high: at(0.975) };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}`;

/** "77.6 % per clip (95 % interval 65.4–86.4 %, 58 clips)": an accuracy never printed without its interval and what it rests on. */
export function describeAccuracy(accuracy: number, interval: Interval, unit: 'clip' | 'segment', clips: number): string {
  return `${pct(accuracy)} % per ${unit} (95 % interval ${pct(interval.low)}–${pct(interval.high)} %, ${clips} clip${clips === 1 ? '' : 's'})`;
}

/** Whether two accuracies are told apart by their intervals: if these overlap, neither is called better. */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.low <= b.high && b.low <= a.high;
}

/** A test clip as the balanced accuracy sees it: its genre, and whether it was classified right. */
export interface ClipOutcome {
  label: number;
  right: boolean;
}

/** Right clips over clips, per genre with at least one test clip. */
function perGenre(clips: readonly ClipOutcome[]): { right: number; clips: number }[] {
  const by = new Map<number, { right: number; clips: number }>();
  for (const c of clips) {
    const g = by.get(c.label) ?? { right: 0, clips: 0 };
    g.clips++;
    if (c.right) g.right++;
    by.set(c.label, g);
  }
  return [...by.values()];
}

/**
 * The balanced clip accuracy: the mean over genres (those with at least one test clip) of each
 * genre's clip accuracy. A test split of mostly blues and jazz cannot hide a weak genre in it.
 */
export function balancedAccuracy(clips: readonly ClipOutcome[]): number {
  const genres = perGenre(clips);
  return genres.length ? genres.reduce((a, g) => a + g.right / g.clips, 0) / genres.length : 0;
}

/**
 * A 95 % interval of the balanced clip accuracy by a stratified clip bootstrap: each resample
 * draws every genre's test clips from that genre's own, so each genre keeps its number of clips
 * and the mean over genres is always defined. Seeded, so an evaluation always gives the same
 * interval. Where every resample gives one value (each genre all right or all wrong), Wilson's
 * interval over the clips, as `clipBootstrap` does.
 */
export function balancedBootstrap(clips: readonly ClipOutcome[], resamples = 2000, seed = 1): Interval {
  const genres = perGenre(clips);
  if (genres.length === 0) return { low: 0, high: 1 };
  const random = seededRandom(seed);
  const values = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (const g of genres) {
      let right = 0;
      // A draw from the genre's clips is right with the genre's share of right clips.
      for (let i = 0; i < g.clips; i++) if (Math.floor(random() * g.clips) < g.right) right++;
      sum += right / g.clips;
    }
    values[r] = sum / genres.length;
  }
  values.sort();
  if (values[0] === values[resamples - 1]) return wilson(values[0] * clips.length, clips.length);
  const at = (q: number) => values[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))];
  return { low: at(0.025), high: at(0.975) };
}
