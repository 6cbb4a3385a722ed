/**
 * BENCH_MUSIC=<folder> npm run bench:accuracy — each preset on real music, split by clip, as a
 * user runs it: the folder extracted with npm run extract into the features each preset needs
 * (13 MFCCs, 64 log-mel bands), then `npm run train -- --preset NAME` for each seed, the runs
 * side by side on the cores as tuning runs its trials. Every accuracy with its 95 % interval over
 * the test clips. GTZAN's 100-clip sample: fetch github:TempoBeatDownbeat/gtzan_mini and
 * `git archive` it (docs/benchmarks.md says how); never commit the audio.
 *
 *   BENCH_MUSIC     the folder (<genre>/<clip>.wav|.au)
 *   BENCH_SEEDS     comma-separated seeds (default 0,1,2): split and initialisation
 *   BENCH_PRESETS   comma-separated presets (default: all)
 *   BENCH_SPLIT     clip (default), filtered or artist
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, createReadStream } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeTrial } from '../src/cli/node-trials';
import { readDataJson } from '../src/dataset/data-json-stream';
import { toTrainingData, type TrainingData } from '../src/dataset/training-data';
import type { SplitMode } from '../src/model/data/split-options';
import { DEFAULT_SPLIT } from '../src/model/data/split-options';
import { describeAccuracy, wilson } from '../src/evaluation/intervals';
import { PRESET_NAMES, PRESETS, type PresetName } from '../src/model/training/presets';
import { tuningPlan } from '../src/tuning/tuning-run';

const music = resolve(process.env.BENCH_MUSIC!);
const seeds = (process.env.BENCH_SEEDS ?? '0,1,2').split(',').map(Number);
const presets = (process.env.BENCH_PRESETS?.split(',') ?? PRESET_NAMES) as PresetName[];
const mode = (process.env.BENCH_SPLIT ?? 'clip') as SplitMode;
const root = resolve(import.meta.dirname, '..');
const work = join(tmpdir(), 'gtzan-bench-accuracy');
mkdirSync(work, { recursive: true });

/** The folder's features for a preset, extracted once per kind with npm run extract. */
const cache = new Map<string, TrainingData>();
async function featuresFor(name: PresetName): Promise<TrainingData> {
  const want = PRESETS[name].features!;
  const key = `${want.featureType}${want.values}`;
  if (!cache.has(key)) {
    const out = join(work, `${key}.json`);
    if (!existsSync(out)) {
      const flags = want.featureType === 'logmel' ? ['--features', 'logmel', '--n-mels', String(want.values)] : ['--features', 'mfcc', '--n-mfcc', String(want.values)];
      const started = performance.now();
      execFileSync(join(root, 'node_modules/.bin/tsx'), ['src/cli/extract.ts', music, ...flags, '--out', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      console.log(`extracted ${key} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    cache.set(key, toTrainingData(await readDataJson(createReadStream(out, { encoding: 'utf8' }))));
  }
  return cache.get(key)!;
}

interface Job { preset: PresetName; seed: number }
const jobs: Job[] = presets.flatMap((preset) => seeds.map((seed) => ({ preset, seed })));
const results = new Map<string, { clip: number; clips: number; right: number; line: string; seconds: number; epochs: number; best?: number }>();
const first = await featuresFor(presets[0]);
for (const p of presets) await featuresFor(p);
const plan = tuningPlan(availableParallelism(), jobs.length, first.x.byteLength);
console.log(`${music}: ${first.clipPaths.length} clips, ${first.genres.length} genres; split ${mode}; seeds ${seeds.join(', ')}; ${plan.lanes} runs side by side, ${plan.threadsPerTrial} thread(s) each`);

let next = 0;
await Promise.all(Array.from({ length: plan.lanes }, async () => {
  while (next < jobs.length) {
    const { preset, seed } = jobs[next++];
    const p = PRESETS[preset];
    const data = await featuresFor(preset);
    const outcome = await nodeTrial(data, {
      model: p.model, train: { ...p.train, seed }, split: { ...DEFAULT_SPLIT, mode, seed }, fastLstm: true,
    }, plan.threadsPerTrial, 'wasm', true);
    const e = outcome.evaluation;
    if (outcome.status !== 'done' || !e) throw new Error(`${preset} seed ${seed}: ${outcome.message ?? outcome.status}`);
    const line = `${describeAccuracy(e.clipAccuracy, e.intervals!.clip, 'clip', e.clips)}; ${describeAccuracy(e.segmentAccuracy, e.intervals!.segment, 'segment', e.clips)}`;
    results.set(`${preset}/${seed}`, { clip: e.clipAccuracy, clips: e.clips, right: Math.round(e.clipAccuracy * e.clips), line, seconds: outcome.seconds ?? 0, epochs: outcome.epochs ?? 0, best: outcome.bestEpoch });
    console.log(`${preset} seed ${seed}: ${line}; ${outcome.epochs} epochs${outcome.bestEpoch ? ` (weights of epoch ${outcome.bestEpoch})` : ''}, ${outcome.seconds?.toFixed(0)} s`);
  }
}));

console.log(`\n| preset | ${seeds.map((s) => `seed ${s}: accuracy per clip (95 % interval)`).join(' | ')} | mean per clip | training time (mean) |`);
console.log(`|---|${seeds.map(() => '---|').join('')}---|---|`);
for (const preset of presets) {
  const rs = seeds.map((s) => results.get(`${preset}/${s}`)!);
  const cells = rs.map((r) => {
    const i = wilson(r.right, r.clips);
    return `${(100 * r.clip).toFixed(1)} % (${(100 * i.low).toFixed(0)}–${(100 * i.high).toFixed(0)} %, ${r.clips} clips)`;
  });
  const mean = rs.reduce((n, r) => n + r.clip, 0) / rs.length;
  console.log(`| ${preset} | ${cells.join(' | ')} | ${(100 * mean).toFixed(1)} % | ${(rs.reduce((n, r) => n + r.seconds, 0) / rs.length).toFixed(0)} s |`);
}
console.log(`\nNode ${process.version}, tfjs WASM with the lab's fast kernels, ${availableParallelism()} cores; split ${mode} (seeded per run), each preset's own epochs and early stopping`);
