import type { TrainingData } from './dataset';
import { seededRandom, shuffleInPlace } from './random';

/**
 * by-clip: every segment of a clip lands in one of train / validation / test (the honest split).
 * by-segment: segments are shuffled on their own, so one clip's segments land on both sides —
 * what the reference recipe did, and leaky: its test accuracy is optimistic.
 */
export type SplitMode = 'clip' | 'segment';

export interface SplitOptions {
  mode: SplitMode;
  seed: number;
  /** Fraction of the whole set held out for testing (the recipe: 0.25). */
  testFraction: number;
  /** Fraction of what remains used for validation (the recipe: 0.2). */
  validationFraction: number;
}

export const DEFAULT_SPLIT: SplitOptions = { mode: 'clip', seed: 42, testFraction: 0.25, validationFraction: 0.2 };

export interface Split {
  options: SplitOptions;
  /** Segment indices into the TrainingData arrays. */
  train: number[];
  validation: number[];
  test: number[];
}

/** Cuts one genre's units (clips or segments) into test, validation and train, in that order. */
function cut<T>(units: T[], o: SplitOptions): { train: T[]; validation: T[]; test: T[] } {
  const nTest = Math.round(units.length * o.testFraction);
  const rest = units.length - nTest;
  const nVal = Math.round(rest * o.validationFraction);
  return { test: units.slice(0, nTest), validation: units.slice(nTest, nTest + nVal), train: units.slice(nTest + nVal) };
}

/** A seeded split, stratified by genre, of segments or of whole clips. */
export function splitData(d: TrainingData, options: SplitOptions): Split {
  const random = seededRandom(options.seed);
  const out: Split = { options, train: [], validation: [], test: [] };
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

export function describeSplit(mode: SplitMode): string {
  return mode === 'clip' ? 'by clip (no clip on two sides)' : 'by segment (leaky: a clip\'s segments on both sides)';
}
