import { dataJsonChunks } from '../dataset/data-json';
import { genresWithSegments, type ClipFeatures, type FeatureSet } from '../dataset/feature-set';
import type { GtzanSummary } from '../dataset/gtzan';
import { coefficientsPerFrame, framesPerSegment, type FeatureSettings } from '../dsp/settings';
import type { ModelMetadata } from '../saving/metadata';
import type { StoredSession } from '../storage/db';
import { fromStored, hashKeyOfClipKey, pathOfKey, type FeatureStore } from '../storage/feature-store';
import { featureStatuses, rowsOf, type DatasetSummaryData } from './summary-data';

/* Features out of the page (data.json, .npz) and back from the browser's cache. */

/** Lets the page draw before long work on its thread (a written file's status). */
export const nextTurn = () => new Promise<void>((r) => setTimeout(r, 0));

/** GTZAN's names, lists and hashes (~40 kB), loaded when a dataset is chosen rather than with the page. */
export function loadGtzan(): Promise<typeof import('../dataset/gtzan')> {
  return import('../dataset/gtzan');
}

/** The features as NumPy arrays, with the last run's split when that split was made on these clips. */
export async function npzBlob(set: FeatureSet, lastSplit: ModelMetadata['split'] | undefined): Promise<Blob> {
  await nextTurn();
  const { featuresToNpz } = await import('../dataset/npz');
  const run = lastSplit;
  const mine = new Set(set.clips.map((c) => c.path));
  const split =
    run && [...run.testClipNames, ...(run.trainClipNames ?? [])].some((p) => mine.has(p))
      ? {
          train: run.trainClipNames ?? [],
          validation: run.validationClipNames ?? [],
          test: run.testClipNames,
          info: { mode: run.mode, seed: run.seed, sizes: run.sizes },
        }
      : undefined;
  return new Blob([featuresToNpz(set, split) as BlobPart], { type: 'application/zip' });
}

/** The features as the recipe's data.json, written in pieces. */
export async function dataJsonBlob(set: FeatureSet): Promise<Blob> {
  const parts: string[] = [];
  let n = 0;
  for (const chunk of dataJsonChunks(set)) {
    parts.push(chunk);
    // Yield now and then: GTZAN's data.json is ~10 000 segments of text.
    if (++n % 200 === 0) await nextTurn();
  }
  return new Blob(parts, { type: 'application/json' });
}

/** The last dataset's features still in the cache, the paths of those gone, and their summary. */
export async function readLastSession(store: FeatureStore, last: StoredSession, settings: FeatureSettings): Promise<{
  set: FeatureSet; missing: string[]; gtzan: GtzanSummary; summary: DatasetSummaryData;
}> {
  const clips: ClipFeatures[] = [];
  const missing: string[] = [];
  for (const key of last.clipKeys) {
    const s = await store.get(key);
    if (s && s.count > 0) clips.push(fromStored(s));
    else missing.push(pathOfKey(key));
  }
  const facts = await loadGtzan();
  const gtzan = facts.summarizeGtzan(clips.map((c) => c.path));
  const hashes = await store.hashes();
  const hashOf = new Map(last.clipKeys.map((k) => [pathOfKey(k), hashes.get(hashKeyOfClipKey(k))]));
  const set: FeatureSet = {
    settings, genres: genresWithSegments(last.genres, clips), frames: framesPerSegment(settings), coefficients: coefficientsPerFrame(settings), clips,
  };
  const summary: DatasetSummaryData = {
    source: `Restored from this browser: ${clips.length} of ${last.clipKeys.length} clips`,
    rows: rowsOf(set),
    setAside: [],
    failures: missing.map((path) => ({ path, reason: 'no longer kept in this browser (removed in another tab, or evicted to free space)' })),
    gtzanLine: facts.recognitionLine(gtzan),
    gtzanCheck: gtzan.recognized ? facts.checkGtzan(clips.map((c) => ({ path: c.path, md5: hashOf.get(c.path) })), []) : undefined,
    clips: featureStatuses(set),
  };
  return { set, missing, gtzan, summary };
}
