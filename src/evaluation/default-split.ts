import type { GtzanRecognition } from '../dataset/gtzan';
import { splitData, splitProblem, type SplitInput } from '../model/data/split';
import { DEFAULT_SPLIT, type SplitMode } from '../model/data/split-options';
import { leakModes } from './leak-report';
import { missingGenres } from './split-warnings';

/** The split the page chooses for a set of clips, and why when it is not the one expected. */
export interface DefaultSplit {
  mode: SplitMode;
  reason?: string;
}

const SHORT: Record<SplitMode, string> = { filtered: 'fault-filtered', artist: 'by-artist', clip: 'by-clip', segment: 'by-segment' };

/** Why a split does not fit these clips (it cannot be made, or leaves a genre out of training or test), or undefined when it fits. */
function gap(d: SplitInput, mode: SplitMode, seed: number): string | undefined {
  const split = splitData(d, { ...DEFAULT_SPLIT, mode, seed });
  const problem = splitProblem(d, split);
  if (problem) return `the ${SHORT[mode]} split cannot be made here (${problem})`;
  const missing = missingGenres(d, split);
  const parts = [
    missing.train.length ? `no training clip of ${missing.train.join(', ')}` : '',
    missing.test.length ? `no test clip of ${missing.test.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `the ${SHORT[mode]} split would leave ${parts.join(' and ')}` : undefined;
}

/**
 * The default split: on GTZAN the most honest split whose training and test sides cover every
 * genre (fault-filtered, then by artist, then by clip), so a partial GTZAN folder never trains a
 * model that cannot learn or be tested on some genre; elsewhere by clip.
 */
export function defaultSplit(d: SplitInput, gtzan: Pick<GtzanRecognition, 'recognized'> & { filteredFits: boolean }, seed = DEFAULT_SPLIT.seed): DefaultSplit {
  if (!gtzan.recognized) return { mode: 'clip' };
  const skipped: string[] = [];
  const candidates: SplitMode[] = gtzan.filteredFits ? ['filtered', 'artist'] : ['artist'];
  if (!gtzan.filteredFits) skipped.push('the fault-filtered split\'s lists do not cover most of these clips');
  for (const mode of candidates) {
    const why = gap(d, mode, seed);
    if (!why) {
      return mode === 'filtered'
        ? { mode }
        : {
            mode,
            reason: `Split chosen: ${SHORT[mode]}, the most honest split that trains and tests every genre of these clips (${skipped.join('; ')}).`,
          };
    }
    skipped.push(why);
  }
  return {
    mode: 'clip',
    reason: `Split chosen: by clip, the one that trains and tests every genre of these clips (${skipped.join('; ')}); an artist may be on two sides, which flatters the test accuracy.`,
  };
}

/**
 * The splits the leak report compares on these clips: leakModes' (the seed's by-segment split, by
 * clip, and on GTZAN the fault-filtered one where its lists fit), except that on part of GTZAN
 * where the fault-filtered split leaves a genre out of training or test and the by-artist split
 * does not, the by-artist split stands for the artist-disjoint one.
 */
export function leakSplits(d: SplitInput, gtzan: Pick<GtzanRecognition, 'recognized'> & { filteredFits: boolean }, seed = DEFAULT_SPLIT.seed): SplitMode[] {
  const modes = leakModes(gtzan);
  if (!modes.includes('filtered') || !gap(d, 'filtered', seed) || gap(d, 'artist', seed)) return modes;
  return modes.map((m) => (m === 'filtered' ? 'artist' : m));
}
