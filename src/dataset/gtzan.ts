/**
 * GTZAN by its names: which chosen clips are GTZAN's `<genre>/<genre>.000NN.<wav|au>` (whatever
 * the folder above is called), and the facts about each (src/generated/gtzan-facts.ts). Pure.
 */
import { ARTISTS, ARTIST_OF, FILTERED, MD5 } from '../generated/gtzan-facts';

export const GTZAN_GENRES = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'] as const;
export const GTZAN_CLIPS = 1000;

const NAME = /(?:^|\/)([a-z]+)\/\1\.(000\d\d)\.(?:wav|au)$/;
const GENRE_SET: ReadonlySet<string> = new Set(GTZAN_GENRES);

/** "blues.00012" for a path GTZAN names, or undefined. */
export function gtzanId(path: string): string | undefined {
  const m = NAME.exec(path);
  return m && GENRE_SET.has(m[1]) ? `${m[1]}.${m[2]}` : undefined;
}

function parts(id: string): { genre: string; n: number } {
  const dot = id.indexOf('.');
  return { genre: id.slice(0, dot), n: Number(id.slice(dot + 1)) };
}

export type FilteredSide = 'train' | 'validation' | 'test';

const SIDE_OF = new Map<string, FilteredSide>();
for (const side of ['train', 'validation', 'test'] as const) {
  for (const [genre, numbers] of Object.entries(FILTERED[side])) {
    for (const n of numbers) SIDE_OF.set(`${genre}.${String(n).padStart(5, '0')}`, side);
  }
}

/** The side of the fault-filtered split a clip is on, or undefined for the 70 left out. */
export function filteredSide(id: string): FilteredSide | undefined {
  return SIDE_OF.get(id);
}

/** Sturm's artist of a clip, or undefined where none is known. */
export function artistOf(id: string): string | undefined {
  const { genre, n } = parts(id);
  const k = ARTIST_OF[genre]?.[n] ?? -1;
  return k >= 0 ? ARTISTS[k] : undefined;
}

/** The MD5 (hex) of the reference copy of a clip (the .wav files mirdata distributes). */
export function referenceMd5(id: string): string | undefined {
  const { genre, n } = parts(id);
  const all = MD5[genre];
  return all && n >= 0 && n < 100 ? all.slice(32 * n, 32 * n + 32) : undefined;
}

export interface GtzanRecognition {
  /** Most chosen clips carry GTZAN's names. */
  recognized: boolean;
  /** Clips with a GTZAN name (each id once). */
  present: number;
  /** Chosen clips in all. */
  clips: number;
  /** Of the present clips, how many are in one of the filtered lists. */
  inLists: number;
  /** Present clips on each side of the filtered split. */
  sides: Record<FilteredSide, number>;
}

/** Whether a set of clip paths is GTZAN: more than half named as GTZAN names them. */
export function recognizeGtzan(paths: readonly string[]): GtzanRecognition {
  const ids = new Set<string>();
  for (const p of paths) {
    const id = gtzanId(p);
    if (id) ids.add(id);
  }
  const sides: Record<FilteredSide, number> = { train: 0, validation: 0, test: 0 };
  for (const id of ids) {
    const side = SIDE_OF.get(id);
    if (side) sides[side]++;
  }
  const inLists = sides.train + sides.validation + sides.test;
  return { recognized: ids.size > 0 && ids.size * 2 > paths.length, present: ids.size, clips: paths.length, inLists, sides };
}

/**
 * The filtered split is the default when GTZAN is recognised, its lists cover most clips, and
 * none of its sides is empty among them (a few clips of one list cannot train and test a model).
 */
export function filteredSplitFits(r: GtzanRecognition): boolean {
  return r.recognized && r.inLists * 2 > r.clips && r.sides.train > 0 && r.sides.validation > 0 && r.sides.test > 0;
}

/** What the page passes on about a dataset: recognised or not, and whether the filtered split fits. */
export interface GtzanSummary extends GtzanRecognition {
  filteredFits: boolean;
}

export function summarizeGtzan(paths: readonly string[]): GtzanSummary {
  const r = recognizeGtzan(paths);
  return { ...r, filteredFits: filteredSplitFits(r) };
}

/** "GTZAN recognised: 999 of its 1 000 clips", or undefined for another dataset. */
export function recognitionLine(r: GtzanRecognition): string | undefined {
  if (!r.recognized) return undefined;
  return `GTZAN recognised: ${r.present.toLocaleString('en').replace(',', ' ')} of its 1 000 clips.`;
}

/** GTZAN's dataset check: what of the 1 000 is missing, foreign, differs from the reference, or failed. */
export interface GtzanCheck {
  present: number;
  missing: string[];
  /** Chosen audio files not named as GTZAN names its clips. */
  foreignNames: string[];
  /** Clips whose bytes were hashed, and those whose MD5 is not the reference copy's. */
  checked: number;
  differing: string[];
  /** GTZAN clips that could not be read (already listed with their reason). */
  unreadable: number;
  /** While the MD5s are being computed: how far. */
  hashing?: { done: number; total: number };
}

export function checkGtzan(clips: readonly { path: string; md5?: string }[], failedPaths: readonly string[]): GtzanCheck {
  const present = new Set<string>();
  const foreignNames: string[] = [];
  const differing: string[] = [];
  let checked = 0;
  for (const c of clips) {
    const id = gtzanId(c.path);
    if (!id) {
      foreignNames.push(c.path);
      continue;
    }
    present.add(id);
    if (c.md5) {
      checked++;
      if (c.md5 !== referenceMd5(id)) differing.push(id);
    }
  }
  const missing = GTZAN_GENRES.flatMap((g) => Array.from({ length: 100 }, (_, n) => `${g}.${String(n).padStart(5, '0')}`)).filter((id) => !present.has(id));
  const failed = new Set(failedPaths);
  const unreadable = clips.filter((c) => failed.has(c.path) && gtzanId(c.path)).length;
  return { present: present.size, missing, foreignNames, checked, differing: differing.sort(), unreadable };
}
