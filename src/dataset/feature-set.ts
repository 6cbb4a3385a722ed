import type { FeatureSettings } from '../dsp/settings';

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
