/**
 * How data is split, without the code that splits it (split.ts beside it, which carries GTZAN's
 * lists): the page's form and labels need only this.
 *
 * - clip: every segment of a clip lands in one of train / validation / test.
 * - segment: segments are shuffled on their own, so one clip's segments land on both sides —
 *   what the reference recipe did, and leaky: its test accuracy is optimistic.
 * - filtered: GTZAN's fault-filtered split (Kereliuk, Sturm & Larsen 2015), as its lists give it;
 *   clips in none of the lists are left out. What the research field reports on.
 * - artist: GTZAN grouped by Sturm's artist index, no artist on two sides, seeded.
 */
export type SplitMode = 'clip' | 'segment' | 'filtered' | 'artist';

export const SPLIT_MODES: readonly SplitMode[] = ['clip', 'segment', 'filtered', 'artist'];

/** The splits that need GTZAN's names. */
export const GTZAN_SPLITS: ReadonlySet<SplitMode> = new Set(['filtered', 'artist']);

export interface SplitOptions {
  mode: SplitMode;
  seed: number;
  /** Fraction of the whole set held out for testing (the recipe: 0.25); not used by `filtered`. */
  testFraction: number;
  /** Fraction of what remains used for validation (the recipe: 0.2); not used by `filtered`. */
  validationFraction: number;
}

export const DEFAULT_SPLIT: SplitOptions = { mode: 'clip', seed: 42, testFraction: 0.25, validationFraction: 0.2 };

const NAMES: Record<SplitMode, string> = {
  clip: 'by clip (no clip on two sides)',
  segment: 'by segment (leaky: a clip\'s segments on both sides)',
  filtered: 'fault-filtered (GTZAN, Kereliuk, Sturm & Larsen 2015: no artist on two sides, faulty clips left out)',
  artist: 'by artist (GTZAN, Sturm\'s artist index: no artist on two sides)',
};

export function describeSplit(mode: SplitMode): string {
  return NAMES[mode];
}

/** Clips on each side, and left out, of a split that was made. */
export interface SplitSizes {
  trainClips: number;
  validationClips: number;
  testClips: number;
  leftOutClips: number;
}

/** "fault-filtered split: 443 train / 197 validation / 290 test clips, 70 left out". */
export function describeSizes(mode: SplitMode, s: SplitSizes): string {
  const short = mode === 'filtered' ? 'fault-filtered' : mode === 'artist' ? 'by-artist' : mode === 'clip' ? 'by-clip' : 'by-segment';
  return `${short} split: ${s.trainClips} train / ${s.validationClips} validation / ${s.testClips} test clips${s.leftOutClips ? `, ${s.leftOutClips} left out` : ''}`;
}
