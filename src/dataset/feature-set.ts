import type { FeatureSettings } from '../dsp/settings';
import { genreNamesProblem } from './limits';

/** The segments one clip gave, with the clip's path and genre. */
export interface ClipFeatures {
  path: string;
  genre: string;
  segments: Float32Array[];
}

/** Everything training needs: features grouped by clip, and the settings that made them. */
export interface FeatureSet {
  settings: FeatureSettings;
  /** Genre names sorted; a label is an index into this list. */
  genres: string[];
  frames: number;
  coefficients: number;
  clips: ClipFeatures[];
}

export function segmentCount(set: FeatureSet): number {
  return set.clips.reduce((n, c) => n + c.segments.length, 0);
}

export function segmentsPerGenre(set: FeatureSet): Map<string, number> {
  const out = new Map<string, number>(set.genres.map((g) => [g, 0]));
  for (const c of set.clips) out.set(c.genre, (out.get(c.genre) ?? 0) + c.segments.length);
  return out;
}

/** The genres of `genres` that have at least one segment in `clips`, in the same order. */
export function genresWithSegments(genres: readonly string[], clips: readonly ClipFeatures[]): string[] {
  const present = new Set(clips.filter((c) => c.segments.length > 0).map((c) => c.genre));
  return genres.filter((g) => present.has(g));
}

/**
 * Why these features cannot train a classifier, or undefined when they can: what counts is the
 * genres that produced segments, not the folders or names that were offered. `expected` is the
 * genres there should have been, so the message can name the ones that gave nothing.
 */
export function featureSetProblem(set: Pick<FeatureSet, 'genres' | 'clips'>, expected: readonly string[] = set.genres): string | undefined {
  const names = genreNamesProblem(expected, 'The dataset');
  if (names) return names;
  const present = genresWithSegments(expected, set.clips);
  const empty = expected.filter((g) => !present.includes(g));
  const gaveNothing = empty.length ? ` ${quoteList(empty)} gave no features: every clip failed, was too short or is missing.` : '';
  if (present.length === 0) return `No features to train on.${gaveNothing}`;
  if (present.length < 2) return `Only one genre has features (${present[0]}): a classifier needs at least two.${gaveNothing}`;
  return undefined;
}

/** Genres that offered clips but gave no features, in words; undefined when there are none. */
export function emptyGenresNote(set: Pick<FeatureSet, 'clips'>, expected: readonly string[]): string | undefined {
  const present = genresWithSegments(expected, set.clips);
  const empty = expected.filter((g) => !present.includes(g));
  if (empty.length === 0) return undefined;
  return `${quoteList(empty)} gave no features (every clip failed or was too short) and ${empty.length > 1 ? 'are' : 'is'} left out: the model learns ${present.length} genres.`;
}

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
