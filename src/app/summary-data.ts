import { segmentsPerGenre, type FeatureSet } from '../dataset/feature-set';
import type { GtzanCheck } from '../dataset/gtzan';
import type { SetAside } from '../dataset/scan';
import { ENGINE_LABEL } from '../dsp/mfcc-engine';
import { featureLabel, type FeatureSettings } from '../dsp/settings';
import type { ClipFailure, ClipInfo } from '../features/extraction';

/* What the dataset step shows about the dataset in hand: its genres, clips, failures and checks, as data. */

/** Per-genre numbers shown before and after extraction. */
export interface GenreRow {
  genre: string;
  clips: number;
  bytes: number;
  /** Known once the clips are decoded. */
  seconds?: number;
  segments?: number;
}

export interface DatasetSummaryData {
  source: string;
  rows: GenreRow[];
  setAside: SetAside[];
  failures: ClipFailure[];
  /** Warnings about the genre names (look-alikes, invisible characters). */
  notes?: string[];
  /** "GTZAN recognised: 999 of its 1 000 clips." on GTZAN. */
  gtzanLine?: string;
  /** GTZAN's dataset check, once the clips have been read. */
  gtzanCheck?: GtzanCheck;
  /** Every clip with its status, listed per genre so any can be opened in the inspector. */
  clips?: { path: string; genre: string; status: string }[];
  /** Set once extraction has finished (or was cancelled). */
  finished?: { cached: number; extracted: number; cancelled: boolean; elapsedSeconds: number; decoders: string[] };
}

/** Rows for features that arrive already extracted (a data.json, or restored from the browser). */
export function rowsOf(set: FeatureSet): GenreRow[] {
  const perGenre = segmentsPerGenre(set);
  return set.genres.map((genre) => ({ genre, clips: set.clips.filter((c) => c.genre === genre).length, bytes: 0, segments: perGenre.get(genre) }));
}

/** Fills the audio length and segment columns from extraction results. */
export function withResults(rows: GenreRow[], clips: ClipInfo[]): GenreRow[] {
  return rows.map((r) => {
    const mine = clips.filter((c) => c.genre === r.genre);
    return { ...r, seconds: mine.reduce((s, c) => s + c.seconds, 0), segments: mine.reduce((s, c) => s + c.segments, 0) };
  });
}

/**
 * Names which decoder read how many clips, e.g. "12 clips read by the lab's WAV/AU decoder", and
 * which engine computed the features ("64 log-mel bands computed with WebAssembly SIMD").
 */
export function decoderSummary(clips: ClipInfo[], settings: FeatureSettings): string[] {
  const browser = clips.filter((c) => c.encoding.includes('browser decoder'));
  const own = clips.length - browser.length;
  const out = [`${own} clip${own === 1 ? '' : 's'} read by the lab's own WAV/AU decoder`];
  if (browser.length) {
    const kinds = [...new Set(browser.map((c) => c.encoding.split(' ')[0]))].join(', ');
    out.push(`${browser.length} by the browser's audio decoder (${kinds})`);
  }
  const engines = [...new Set(clips.flatMap((c) => (c.engine ? [c.engine] : [])))];
  if (engines.length) out.push(`${featureLabel(settings)} computed with ${engines.map((e) => ENGINE_LABEL[e]).join(' and ')}`);
  return out;
}

/** Each chosen clip's status after extraction, for the summary's clip lists. */
export function clipStatuses(
  clips: readonly { path: string; genre: string }[], infos: readonly ClipInfo[], failures: readonly { path: string; reason: string }[],
): { path: string; genre: string; status: string }[] {
  const info = new Map(infos.map((i) => [i.path, i]));
  const failed = new Map(failures.map((f) => [f.path, f.reason]));
  return clips.map((c) => {
    const i = info.get(c.path);
    const status = failed.has(c.path)
      ? `failed: ${failed.get(c.path)}`
      : i
        ? `${i.segments} segments${i.fromCache ? ', from the cache' : ''}`
        : 'not extracted';
    return { path: c.path, genre: c.genre, status };
  });
}

/** Clips of features that arrived without their audio (a data.json, or restored), for the clip lists. */
export function featureStatuses(set: FeatureSet): { path: string; genre: string; status: string }[] {
  return set.clips.map((c) => ({ path: c.path, genre: c.genre, status: `${c.segments.length} segments (features only)` }));
}
