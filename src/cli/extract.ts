/**
 * npm run extract -- <dataset folder> --out data.json|features.npz [options]
 * Walks <genre>/<clip> below the folder, extracts segment MFCCs on every core with the same
 * src/dsp code as the page, and writes the recipe's data.json, an .npz, or with --shard-size a
 * folder of .npz shards (python/train.py reads the folder shard by shard).
 */
import './terminal';
import { createWriteStream, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { dataJsonChunks } from '../dataset/data-json';
import { featureSetProblem, genresWithSegments, type ClipFeatures, type FeatureSet } from '../dataset/feature-set';
import { featuresToNpz } from '../dataset/npz';
import { datasetProblem, scanPaths } from '../dataset/scan';
import {
  coefficientsPerFrame,
  DEFAULT_SETTINGS,
  FEATURE_TYPES,
  framesPerSegment,
  validateSettings,
  type FeatureSettings,
  type FeatureType,
} from '../dsp/settings';
import { nodeWorkerEndpoint } from '../rpc/endpoint';
import { RequestPool } from '../rpc/request-pool';
import { numberFlag, parseArgs } from './args';
import type { ExtractAnswer, ExtractJob } from './extract-worker';
import { checkOutputFile, ShardFolder, writeAtomically } from './shard-folder';

const USAGE = `usage: npm run extract -- <dataset folder> --out data.json (or features.npz: NumPy arrays;
  or a folder with --shard-size N: one .npz per N clips, for sets larger than memory)
  [--segments 10] [--n-mfcc 13] [--n-fft 2048] [--hop 512] [--sample-rate 22050]
  [--n-mels 128] [--track-seconds 30] [--pad constant|reflect] [--features mfcc|logmel] [--workers N]`;

function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  visit(root);
  return out;
}

function settingsFrom(args: ReturnType<typeof parseArgs>): FeatureSettings {
  const pad = args.flags.get('pad') ?? DEFAULT_SETTINGS.padMode;
  const s: FeatureSettings = {
    sampleRate: numberFlag(args, 'sample-rate', DEFAULT_SETTINGS.sampleRate),
    nMfcc: numberFlag(args, 'n-mfcc', DEFAULT_SETTINGS.nMfcc),
    nFft: numberFlag(args, 'n-fft', DEFAULT_SETTINGS.nFft),
    hopLength: numberFlag(args, 'hop', DEFAULT_SETTINGS.hopLength),
    nMels: numberFlag(args, 'n-mels', DEFAULT_SETTINGS.nMels),
    segments: numberFlag(args, 'segments', DEFAULT_SETTINGS.segments),
    trackSeconds: numberFlag(args, 'track-seconds', DEFAULT_SETTINGS.trackSeconds),
    padMode: pad as FeatureSettings['padMode'],
  };
  const features = args.flags.get('features') ?? 'mfcc';
  if (!FEATURE_TYPES.includes(features as FeatureType)) throw new Error(`--features must be ${FEATURE_TYPES.join(' or ')}, got ${features}`);
  if (features !== 'mfcc') s.featureType = features as FeatureType;
  const problem = validateSettings(s);
  if (problem) throw new Error(problem);
  return s;
}


/**
 * Worker threads that extract files, started once and kept for every batch of files given to
 * `run` (a sharded extraction runs one batch a shard: fresh threads per shard left memory behind).
 * A thread that fails fails its own files; the others carry on.
 */
class ExtractPool {
  private readonly pool: RequestPool<ExtractJob, ExtractAnswer>;

  constructor(settings: FeatureSettings, size: number) {
    const module = new URL('./extract-worker.ts', import.meta.url).href;
    const entry = new URL('./worker-entry.mjs', import.meta.url);
    const threads = Array.from({ length: size }, () => nodeWorkerEndpoint(new Worker(entry, { workerData: { settings, module } }), 'the extraction thread'));
    this.pool = new RequestPool<ExtractJob, ExtractAnswer>(threads, (job, error) => ({ id: job.id, ok: false, error }));
  }

  /** Runs every file through the threads, `onDone` called in completion order. */
  async run(files: readonly string[], onDone: (i: number, r: ExtractAnswer) => void): Promise<void> {
    await Promise.all(files.map((file, id) => this.pool.run({ id, file }).then((r) => onDone(id, r))));
  }

  close(): Promise<void> {
    return this.pool.terminate();
  }
}

interface Progress { done: number; failed: number; total: number; lastReport: number; started: number }

/** Extracts these clips on the worker pool; failures and clips shorter than a segment are reported and left out. */
async function extractClips(items: readonly { path: string; genre: string; item: string }[], pool: ExtractPool, p: Progress): Promise<ClipFeatures[]> {
  const results: (Float32Array[] | undefined)[] = new Array(items.length);
  await pool.run(items.map((c) => c.item), (i, r) => {
    p.done++;
    if (r.ok) results[i] = r.segments;
    else {
      p.failed++;
      console.error(`skipped ${items[i].path}: ${r.error}`);
    }
    const now = performance.now();
    if (now - p.lastReport > 1000 || p.done === p.total) {
      p.lastReport = now;
      console.error(`[${p.done}/${p.total}] ${(p.done / ((now - p.started) / 1000)).toFixed(1)} clips/s`);
    }
  });
  const clips: ClipFeatures[] = [];
  items.forEach((c, i) => {
    const segs = results[i];
    if (segs && segs.length > 0) clips.push({ path: c.path, genre: c.genre, segments: segs });
    else if (segs) console.error(`skipped ${c.path}: shorter than one segment, no segment kept`);
  });
  return clips;
}

/** --shard-size: clips a shard, a whole number from 1 up. */
function shardSizeFrom(v: string | true | undefined): number {
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new Error(`--shard-size must be a whole number of clips, 1 or more, got ${String(v)}`);
  return n;
}

/** data.json, streamed to a temporary name and renamed once whole: a failed write leaves no partial file. */
async function writeDataJson(out: string, set: FeatureSet): Promise<void> {
  const partial = `${out}.partial`;
  const stream = createWriteStream(partial);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  try {
    for (const chunk of dataJsonChunks(set)) {
      if (!stream.write(chunk)) await Promise.race([new Promise<void>((r) => stream.once('drain', () => r())), failed]);
    }
    await Promise.race([new Promise<void>((resolve) => stream.end(() => resolve())), failed]);
    renameSync(partial, out);
  } catch (e) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw e;
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    values: ['out', 'shard-size', 'segments', 'n-mfcc', 'n-fft', 'hop', 'sample-rate', 'n-mels', 'track-seconds', 'pad', 'features', 'workers'],
    booleans: ['help'],
  });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return 0;
  }
  const root = args.positionals[0];
  const out = args.flags.get('out');
  if (!root || typeof out !== 'string') {
    console.error(USAGE);
    return 2;
  }
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`not a folder: ${root}`);
    return 2;
  }
  const settings = settingsFrom(args);
  const shardSize = args.flags.has('shard-size') ? shardSizeFrom(args.flags.get('shard-size')) : 0;
  const frames = framesPerSegment(settings);
  const coefficients = coefficientsPerFrame(settings);
  const workers = Math.max(1, numberFlag(args, 'workers', availableParallelism()));
  const scan = scanPaths(
    walk(root).map((full) => ({ path: relative(root, full).split(sep).join('/'), item: full })),
    { browserDecoding: false },
  );
  for (const s of scan.setAside) console.error(`skipped ${s.path}: ${s.reason}`);
  const problem = datasetProblem(scan);
  if (problem) {
    console.error(problem);
    return 1;
  }
  // The output is checked (and its folder made) before any clip is extracted: an unwritable one
  // is said now, not after an hour of extraction.
  const shards = shardSize ? new ShardFolder(out, { settings, frames, coefficients, genres: scan.genres }) : undefined;
  if (!shards) checkOutputFile(out);
  console.error(`${scan.clips.length} clips in ${scan.genres.length} genres (${scan.genres.join(', ')}); ${workers} workers`);

  const started = performance.now();
  const progress = { done: 0, failed: 0, total: scan.clips.length, lastReport: 0, started };
  let segments = 0;
  let kept = 0;
  const pool = new ExtractPool(settings, Math.min(workers, scan.clips.length));
  try {
    if (shards) {
      // Shard by shard: only one shard's features are ever held, so memory stays bounded however
      // many clips there are. Every shard names every genre, so labels mean the same in each.
      try {
        for (let k = 0; k * shardSize < scan.clips.length; k++) {
          const clips = await extractClips(scan.clips.slice(k * shardSize, (k + 1) * shardSize), pool, progress);
          const count = clips.reduce((n, c) => n + c.segments.length, 0);
          shards.add(k, featuresToNpz({ settings, genres: scan.genres, frames, coefficients, clips }), clips.map((c) => c.path), count);
          segments += count;
          kept += clips.length;
        }
        if (segments === 0) {
          shards.abandon();
          console.error('nothing was extracted: no clip gave a full segment');
          return 1;
        }
        shards.finish();
      } catch (e) {
        shards.abandon();
        throw e;
      }
    } else {
      const clips = await extractClips(scan.clips, pool, progress);
      // Only genres that gave segments are classes (a genre whose every clip failed is not one).
      const set: FeatureSet = { settings, genres: genresWithSegments(scan.genres, clips), frames, coefficients, clips };
      segments = clips.reduce((n, c) => n + c.segments.length, 0);
      kept = clips.length;
      if (segments === 0) {
        console.error('nothing was extracted: no clip gave a full segment');
        return 1;
      }
      const unusable = featureSetProblem(set, scan.genres);
      if (unusable) console.error(`warning: ${unusable}`);
      if (extname(out).toLowerCase() === '.npz') {
        writeAtomically(out, featuresToNpz(set));
      } else {
        await writeDataJson(out, set);
      }
    }
  } finally {
    await pool.close();
  }
  const failed = progress.failed;
  const seconds = (performance.now() - started) / 1000;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.error(
    `wrote ${out}${shardSize ? ` (shards of ${shardSize} clips)` : ''}: ${segments} segments from ${kept} clips (${failed} failed) in ${seconds.toFixed(1)} s; peak memory ${peak.toFixed(0)} MB`,
  );
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
