/**
 * npm run extract -- <dataset folder> --out data.json|features.npz [options]
 * Walks <genre>/<clip> below the folder, extracts segment MFCCs on every core with the same
 * src/dsp code as the page, and writes the recipe's data.json.
 */
import './terminal';
import { createWriteStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { dataJsonChunks } from '../dataset/data-json';
import { featureSetProblem, genresWithSegments, type ClipFeatures, type FeatureSet } from '../dataset/feature-set';
import { featuresToNpz } from '../dataset/npz';
import { datasetProblem, scanPaths } from '../dataset/scan';
import { coefficientsPerFrame, DEFAULT_SETTINGS, FEATURE_TYPES, framesPerSegment, validateSettings, type FeatureSettings, type FeatureType } from '../dsp/settings';
import { numberFlag, parseArgs } from './args';

const USAGE = `usage: npm run extract -- <dataset folder> --out data.json (or features.npz: NumPy arrays)
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

interface Result { ok: boolean; segments?: Float32Array[]; error?: string }

/** Runs every file through a pool of worker threads, `onDone` called in completion order. */
async function extractAll(files: string[], settings: FeatureSettings, workers: number, onDone: (i: number, r: Result) => void): Promise<void> {
  const module = new URL('./extract-worker.ts', import.meta.url).href;
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  let next = 0;
  const runWorker = () => new Promise<void>((resolve, reject) => {
    const w = new Worker(entry, { workerData: { settings, module } });
    const feed = () => {
      if (next >= files.length) {
        void w.terminate().then(() => resolve());
        return;
      }
      const id = next++;
      w.postMessage({ id, file: files[id] });
    };
    w.on('message', (m: Result & { id: number }) => {
      onDone(m.id, m);
      feed();
    });
    w.on('error', reject);
    feed();
  });
  await Promise.all(Array.from({ length: Math.min(workers, files.length) }, runWorker));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    values: ['out', 'segments', 'n-mfcc', 'n-fft', 'hop', 'sample-rate', 'n-mels', 'track-seconds', 'pad', 'features', 'workers'],
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
  console.error(`${scan.clips.length} clips in ${scan.genres.length} genres (${scan.genres.join(', ')}); ${workers} workers`);

  const results: (Float32Array[] | undefined)[] = new Array(scan.clips.length);
  let done = 0;
  let failed = 0;
  const started = performance.now();
  let lastReport = 0;
  await extractAll(scan.clips.map((c) => c.item), settings, workers, (i, r) => {
    done++;
    if (r.ok) results[i] = r.segments;
    else {
      failed++;
      console.error(`skipped ${scan.clips[i].path}: ${r.error}`);
    }
    const now = performance.now();
    if (now - lastReport > 1000 || done === scan.clips.length) {
      lastReport = now;
      const rate = done / ((now - started) / 1000);
      console.error(`[${done}/${scan.clips.length}] ${rate.toFixed(1)} clips/s`);
    }
  });

  const clips: ClipFeatures[] = [];
  scan.clips.forEach((c, i) => {
    const segs = results[i];
    if (segs && segs.length > 0) clips.push({ path: c.path, genre: c.genre, segments: segs });
    else if (segs) console.error(`skipped ${c.path}: shorter than one segment, no segment kept`);
  });
  // Only genres that gave segments are classes (a genre whose every clip failed is not one).
  const set: FeatureSet = { settings, genres: genresWithSegments(scan.genres, clips), frames: framesPerSegment(settings), coefficients: coefficientsPerFrame(settings), clips };
  const segments = clips.reduce((n, c) => n + c.segments.length, 0);
  if (segments === 0) {
    console.error('nothing was extracted: no clip gave a full segment');
    return 1;
  }
  const unusable = featureSetProblem(set, scan.genres);
  if (unusable) console.error(`warning: ${unusable}`);
  if (extname(out).toLowerCase() === '.npz') {
    writeFileSync(out, featuresToNpz(set));
  } else {
    const stream = createWriteStream(out);
    for (const chunk of dataJsonChunks(set)) {
      if (!stream.write(chunk)) await new Promise<void>((r) => stream.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  }
  const seconds = (performance.now() - started) / 1000;
  console.error(`wrote ${out}: ${segments} segments from ${clips.length} clips (${failed} failed) in ${seconds.toFixed(1)} s`);
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
