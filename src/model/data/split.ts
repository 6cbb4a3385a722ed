import { artistOf, filteredSide, gtzanId } from '../../dataset/gtzan';
import type { TrainingData } from '../../dataset/training-data';

/** What a split looks at: labels and clips, not the features. */
export type SplitInput = Pick<TrainingData, 'genres' | 'clipPaths' | 'labels' | 'clipOf'>;
import { seededRandom, shuffleInPlace } from './random';
import { describeSplit, describeSizes, GTZAN_SPLITS, type SplitOptions, type SplitSizes } from './split-options';

export { DEFAULT_SPLIT, describeSizes, describeSplit, type SplitMode, type SplitOptions } from './split-options';

export interface Split {
  options: SplitOptions;
  /** Segment indices into the TrainingData arrays. */
  train: number[];
  validation: number[];
  test: number[];
  /** Clip indices in no side (the filtered split's left-out clips). */
  leftOut: number[];
}

/** Cuts one genre's units (clips or segments) into test, validation and train, in that order. */
function cut<T>(units: T[], o: SplitOptions): { train: T[]; validation: T[]; test: T[] } {
  const nTest = Math.round(units.length * o.testFraction);
  const rest = units.length - nTest;
  const nVal = Math.round(rest * o.validationFraction);
  return { test: units.slice(0, nTest), validation: units.slice(nTest, nTest + nVal), train: units.slice(nTest + nVal) };
}

/** A seeded split, stratified by genre, of segments or of whole clips. */
export function splitData(d: SplitInput, options: SplitOptions): Split {
  if (options.mode === 'filtered') return bySide(d, options, d.clipPaths.map((p) => filteredSideOfPath(p)));
  if (options.mode === 'artist') return bySide(d, options, artistSides(d, options));
  const random = seededRandom(options.seed);
  const out: Split = { options, train: [], validation: [], test: [], leftOut: [] };
  for (let g = 0; g < d.genres.length; g++) {
    const segs: number[] = [];
    for (let i = 0; i < d.labels.length; i++) if (d.labels[i] === g) segs.push(i);
    if (options.mode === 'segment') {
      const parts = cut(shuffleInPlace(segs, random), options);
      out.train.push(...parts.train);
      out.validation.push(...parts.validation);
      out.test.push(...parts.test);
    } else {
      const byClip = new Map<number, number[]>();
      for (const i of segs) {
        const list = byClip.get(d.clipOf[i]);
        if (list) list.push(i);
        else byClip.set(d.clipOf[i], [i]);
      }
      const clips = shuffleInPlace([...byClip.keys()].sort((a, b) => a - b), random);
      const parts = cut(clips, options);
      for (const c of parts.train) out.train.push(...byClip.get(c)!);
      for (const c of parts.validation) out.validation.push(...byClip.get(c)!);
      for (const c of parts.test) out.test.push(...byClip.get(c)!);
    }
  }
  return out;
}

type Side = 'train' | 'validation' | 'test';

function filteredSideOfPath(path: string): Side | undefined {
  const id = gtzanId(path);
  return id ? filteredSide(id) : undefined;
}

/** Each clip's segment indices. */
function segmentsOfClips(d: SplitInput): number[][] {
  const out: number[][] = d.clipPaths.map(() => []);
  for (let i = 0; i < d.labels.length; i++) out[d.clipOf[i]].push(i);
  return out;
}

/** A split from a side per clip (undefined: left out). */
function bySide(d: SplitInput, options: SplitOptions, sides: (Side | undefined)[]): Split {
  const out: Split = { options, train: [], validation: [], test: [], leftOut: [] };
  segmentsOfClips(d).forEach((segs, c) => {
    const side = sides[c];
    if (side) out[side].push(...segs);
    else if (segs.length) out.leftOut.push(c);
  });
  return out;
}

/**
 * Whole artists to sides, seeded: groups (an artist's clips; a clip with no known artist alone)
 * in a shuffled order, largest first, each to the side whose per-genre shortfall against the
 * by-clip proportions its clips fill most. No artist can land on two sides.
 */
function artistSides(d: SplitInput, o: SplitOptions): Side[] {
  const segs = segmentsOfClips(d);
  const genreOf = segs.map((s) => (s.length ? d.labels[s[0]] : -1));
  const groups = new Map<string, number[]>();
  d.clipPaths.forEach((path, c) => {
    if (genreOf[c] < 0) return;
    const id = gtzanId(path);
    const artist = id ? artistOf(id) : undefined;
    const key = artist ? `artist:${artist}` : `clip:${c}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  });
  const fraction: Record<Side, number> = {
    test: o.testFraction,
    validation: (1 - o.testFraction) * o.validationFraction,
    train: (1 - o.testFraction) * (1 - o.validationFraction),
  };
  const genres = d.genres.length;
  const total = new Array<number>(genres).fill(0);
  for (const g of genreOf) if (g >= 0) total[g]++;
  const have: Record<Side, number[]> = { train: new Array(genres).fill(0), validation: new Array(genres).fill(0), test: new Array(genres).fill(0) };
  const order = shuffleInPlace([...groups.values()], seededRandom(o.seed)).sort((a, b) => b.length - a.length);
  const sides: Side[] = new Array(d.clipPaths.length);
  for (const group of order) {
    const count = new Array<number>(genres).fill(0);
    for (const c of group) count[genreOf[c]]++;
    let best: Side = 'train';
    let bestScore = -Infinity;
    for (const side of ['test', 'validation', 'train'] as const) {
      let score = 0;
      for (let g = 0; g < genres; g++) if (count[g]) score += count[g] * (fraction[side] * total[g] - have[side][g] - count[g] / 2);
      if (score > bestScore) {
        bestScore = score;
        best = side;
      }
    }
    for (let g = 0; g < genres; g++) have[best][g] += count[g];
    for (const c of group) sides[c] = best;
  }
  return sides;
}

/** Clips per side. */
export function splitSizes(d: SplitInput, s: Split): SplitSizes {
  const clips = (idx: number[]) => new Set(idx.map((i) => d.clipOf[i])).size;
  return { trainClips: clips(s.train), validationClips: clips(s.validation), testClips: clips(s.test), leftOutClips: s.leftOut.length };
}

/** Why a split cannot train and test a model (a side left empty), or undefined. */
export function splitProblem(d: SplitInput, s: Split): string | undefined {
  const sizes = splitSizes(d, s);
  const empty = (['train', 'validation', 'test'] as const).filter((side) => s[side].length === 0);
  if (s.train.length === 0) {
    return `the ${describeSplit(s.options.mode)} split leaves no clip to train on (${describeSizes(s.options.mode, sizes)})`;
  }
  if (GTZAN_SPLITS.has(s.options.mode) && empty.length) {
    return `the ${describeSizes(s.options.mode, sizes)}: its ${empty.join(' and ')} side${empty.length > 1 ? 's are' : ' is'} empty among the chosen clips, so it cannot ${empty.includes('test') ? 'test' : 'validate'} a model`;
  }
  return undefined;
}
