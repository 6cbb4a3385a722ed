/**
 * The deletion check: an explanation measured. If the regions an explanation marks are the ones
 * the model relies on, occluding them should cost more accuracy than occluding as many regions
 * chosen at random. Two numbers (and the accuracy untouched) on labelled segments.
 */
import { seededRandom } from '../model/data/random';
import { baselineValue, genreMap, occlusionMap, occludePatch, type OcclusionMap, type OcclusionOptions, type Predict } from './occlusion';

/** The occlusion's own options, and how the check removes patches. */
export interface DeletionOptions extends OcclusionOptions {
  /** Share of each segment's patches removed (0–1). */
  fraction?: number;
  /** Random draws averaged for the random side. */
  randomDraws?: number;
  seed?: number;
}

export interface DeletionResult {
  segments: number;
  patchesRemoved: number;
  patchesPerSegment: number;
  /** Segment accuracy as they are, with the explanation's top patches occluded, and with as many random patches occluded. */
  accuracy: number;
  explainedRemoved: number;
  randomRemoved: number;
}

const argmax = (p: ArrayLike<number>, offset: number, n: number) => {
  let best = 0;
  for (let k = 1; k < n; k++) if (p[offset + k] > p[offset + best]) best = k;
  return best;
};

/** Segment accuracy of `predict` on the segments with the patches `pick(s)` names occluded. */
async function accuracyWithout(
  predict: Predict,
  m: OcclusionMap,
  segments: Float32Array[],
  labels: number[],
  pick: (s: number) => number[],
  batchSize: number,
): Promise<number> {
  const size = m.frames * m.coefficients;
  const c = m.genres.length;
  let right = 0;
  for (let start = 0; start < segments.length; start += batchSize) {
    const n = Math.min(batchSize, segments.length - start);
    const x = new Float32Array(n * size);
    for (let i = 0; i < n; i++) {
      const s = start + i;
      x.set(segments[s], i * size);
      const value = baselineValue(segments[s], m.baseline);
      for (const p of pick(s)) occludePatch(x, i * size, m, Math.floor(p / m.bandPatches), p % m.bandPatches, value);
    }
    const probs = await predict(x, n);
    for (let i = 0; i < n; i++) if (argmax(probs, i * c, c) === labels[start + i]) right++;
  }
  return right / (segments.length || 1);
}

/**
 * Explains each standardised segment (occlusion, for the genre the model predicts), then
 * measures accuracy with its top `fraction` of patches removed and with as many random ones.
 */
export async function deletionCheck(
  predict: Predict,
  genres: string[],
  segments: Float32Array[],
  labels: number[],
  frames: number,
  coefficients: number,
  opts: DeletionOptions = {},
): Promise<DeletionResult> {
  const batchSize = opts.batchSize ?? 64;
  const m = await occlusionMap(predict, genres, segments, frames, coefficients, opts);
  const patches = m.timePatches * m.bandPatches;
  const k = Math.max(1, Math.round((opts.fraction ?? 0.1) * patches));
  const c = genres.length;
  const accuracy = m.base.filter((p, s) => argmax(p, 0, c) === labels[s]).length / (segments.length || 1);
  const top = (s: number) => {
    const w = genreMap(m, s, argmax(m.base[s], 0, c));
    return Array.from(w.keys())
      .sort((a, b) => w[b] - w[a])
      .slice(0, k);
  };
  const explainedRemoved = await accuracyWithout(predict, m, segments, labels, top, batchSize);
  const rand = seededRandom(opts.seed ?? 1);
  const draws = Math.max(1, opts.randomDraws ?? 3);
  let randomSum = 0;
  for (let d = 0; d < draws; d++) {
    const pick = () => {
      // A partial Fisher–Yates shuffle: k distinct patches.
      const order = Array.from({ length: patches }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(rand() * (patches - i));
        [order[i], order[j]] = [order[j], order[i]];
      }
      return order.slice(0, k);
    };
    randomSum += await accuracyWithout(predict, m, segments, labels, pick, batchSize);
  }
  return {
    segments: segments.length,
    patchesRemoved: k,
    patchesPerSegment: patches,
    accuracy,
    explainedRemoved,
    randomRemoved: randomSum / draws,
  };
}

/**
 * The segments of the test clips a model's metadata names, labelled by its genres: what the
 * check runs on in the page and the CLI. Clips of genres the model does not know are left out.
 */
export function testSplitSegments(
  clips: readonly { path: string; genre: string; segments: Float32Array[] }[],
  metadata: { genres: string[]; split: { testClipNames: string[] } },
): { clips: number; segments: Float32Array[]; labels: number[] } {
  const test = new Set(metadata.split.testClipNames);
  const chosen = clips.filter((c) => test.has(c.path) && metadata.genres.includes(c.genre) && c.segments.length > 0);
  return {
    clips: chosen.length,
    segments: chosen.flatMap((c) => c.segments),
    labels: chosen.flatMap((c) => c.segments.map(() => metadata.genres.indexOf(c.genre))),
  };
}
