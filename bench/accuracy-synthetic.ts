/**
 * npm run bench:accuracy (without BENCH_MUSIC) — the architectures compared at equal training time on generated genres
 * that differ in spectral detail and rhythm only (tests/fixtures/timbre-rhythm.ts), with a
 * held-out split by clip. Each model trains on tfjs's WASM backend in Node for the same wall-clock
 * budget (validation included), then is scored once on the test clips it never saw.
 *
 *   BENCH_SECONDS   training budget per model (default 60)
 *   BENCH_CLIPS     clips per genre (default 24, of 15 s: 5 segments of 3 s each)
 *   BENCH_SEEDS     comma-separated seeds (default 1): data, split, initialisation
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureSet } from '../src/dataset/feature-set';
import { createMfcc } from '../src/dsp/mfcc-engine';
import { segmentMfccs } from '../src/dsp/segments';
import { coefficientsPerFrame, DEFAULT_SETTINGS, featureLabel, framesPerSegment, type FeatureSettings } from '../src/dsp/settings';
import type { AugmentConfig } from '../src/model/data/augment';
import { REFERENCE_MODEL, type Architecture } from '../src/model/architectures/config';
import { toTrainingData } from '../src/dataset/training-data';
import { runSession } from '../src/model/training/session';
import { DEFAULT_SPLIT } from '../src/model/data/split';
import { TIMBRE_RHYTHM_GENRES, timbreRhythmClip } from '../tests/fixtures/timbre-rhythm';
import { useNodeWasmBinaries } from '../src/model/backend/node-wasm-paths';

const BUDGET = Number(process.env.BENCH_SECONDS ?? 60);
const CLIPS = Number(process.env.BENCH_CLIPS ?? 24);
const SEEDS = (process.env.BENCH_SEEDS ?? '1').split(',').map(Number);
const CLIP_SECONDS = 15;

const mfcc: FeatureSettings = { ...DEFAULT_SETTINGS, segments: 5, trackSeconds: CLIP_SECONDS };
const logmel: FeatureSettings = { ...mfcc, featureType: 'logmel', nMels: 64 };

interface Contender { model: Architecture; features: FeatureSettings; learningRate: number; augment?: AugmentConfig; note?: string }

const CONTENDERS: Contender[] = [
  { model: 'lstm', features: mfcc, learningRate: 1e-4, note: 'the recipe' },
  { model: 'lstm', features: mfcc, learningRate: 1e-3 },
  { model: 'lstm', features: logmel, learningRate: 1e-3 },
  { model: 'cnn', features: mfcc, learningRate: 1e-3 },
  { model: 'cnn', features: logmel, learningRate: 1e-3 },
  { model: 'cnn', features: logmel, learningRate: 1e-3, augment: { timeMask: 20, freqMask: 8, shift: 30 }, note: 'augmented' },
  { model: 'conv1d', features: mfcc, learningRate: 1e-3 },
  { model: 'conv1d', features: logmel, learningRate: 1e-3 },
];

useNodeWasmBinaries();
await tf.setBackend('wasm');
await tf.ready();

function features(settings: FeatureSettings, seed: number): FeatureSet {
  const extractor = createMfcc(settings);
  const genres = Array.from({ length: TIMBRE_RHYTHM_GENRES }, (_, g) => `genre${g}`);
  const clips = genres.flatMap((genre, g) => Array.from({ length: CLIPS }, (_, c) => ({
    path: `${genre}/${genre}.${String(c).padStart(5, '0')}.wav`,
    genre,
    segments: segmentMfccs(timbreRhythmClip(g, CLIP_SECONDS, settings.sampleRate, seed * 1000 + c), extractor),
  })));
  return { settings, genres, frames: framesPerSegment(settings), coefficients: coefficientsPerFrame(settings), clips };
}

const NAMES: Record<Architecture, string> = { lstm: 'LSTM 64-64', cnn: '2-D CNN 16', conv1d: '1-D CNN 16' };
const rows: string[] = [];
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

for (const seed of SEEDS) {
  const t0 = performance.now();
  const sets = new Map([[mfcc, features(mfcc, seed)], [logmel, features(logmel, seed)]]);
  console.log(`seed ${seed}: ${TIMBRE_RHYTHM_GENRES} genres × ${CLIPS} clips of ${CLIP_SECONDS} s, features in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const c of CONTENDERS) {
    const data = toTrainingData(sets.get(c.features)!);
    const started = performance.now();
    const r = await runSession(data, {
      model: { ...REFERENCE_MODEL, architecture: c.model, filters: 16, learningRate: c.learningRate },
      train: { epochs: 10000, batchSize: 32, seed, standardize: true, augment: c.augment },
      split: { ...DEFAULT_SPLIT, seed },
    }, { shouldStop: () => performance.now() - started > BUDGET * 1000 });
    const last = r.history[r.history.length - 1];
    const e = r.evaluation;
    const row = `| ${NAMES[c.model]}${c.note ? ` (${c.note})` : ''} | ${featureLabel(c.features)} | ${c.learningRate} | ${seed} | ${r.history.length} `
      + `| ${last?.valAccuracy != null ? pct(last.valAccuracy) : '—'} | ${pct(e.segmentAccuracy)} | ${pct(e.clipAccuracy)} (${e.clips} clips) |`;
    rows.push(row);
    console.log(row);
    r.model.dispose();
  }
}

console.log(`\nequal training time: ${BUDGET} s per model on tfjs WASM, Node ${process.version}; by-clip split (25 % test, 20 % of the rest validation); standardised inputs; batch 32`);
console.log('| model | features | learning rate | seed | epochs in budget | last validation accuracy | test segment accuracy | test clip accuracy |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
