/**
 * npm run bench:train — ms per batch of 32 and samples per second for the reference model
 * (LSTM 64 → LSTM 64 → Dense 64 → Dropout → Dense 10) at [130, 13], after one warm-up batch, in
 * one run: the WebAssembly SIMD LSTM kernel, the fused step kernels it replaced, and
 * tf.layers.lstm, data-parallel training on 1, 2 and all cores (Node worker threads), in Node on
 * tfjs's WASM and CPU backends and in headless Chromium on WebGL, WASM and CPU (through
 * self-check.html?bench); a whole epoch (training and validation) on one thread and on every
 * core, in Node and in the page's training worker (self-check.html?epochs), the two taking turns;
 * the two CNNs on MFCCs and on log-mel; and, when python3 can import torch (Debian: apt-get
 * install -y python3-torch), the PyTorch CPU anchor from ../shared/anchors/torch_lstm_speed.py
 * with one thread and with every core.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { nodeReplicas } from '../src/cli/node-replicas';
import { buildModel } from '../src/model/architectures/build';
import { REFERENCE_MODEL, type ModelConfig } from '../src/model/architectures/config';
import { msPerBatch } from '../src/model/training/estimate';
import { FastModel } from '../src/model/fast-lstm/fast-model';
import { setSimdLstm } from '../src/model/fast-lstm/simd-lstm';
import { DataParallelTrainer } from '../src/model/parallel/data-parallel';
import { CONV_CASES } from '../src/self-check/conv-cases';
import { runSession, type EpochReport } from '../src/model/training/session';
import { timingData, timingOptions } from '../src/self-check/timing-data';
import { median, selfCheck } from './self-check';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Rounds of the epoch comparison: one thread, then every core, this many times. */
const EPOCH_ROUNDS = Number(process.env.BENCH_EPOCH_ROUNDS ?? 3);
const config: ModelConfig = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 10 };
const rows: { where: string; backend: string; simd?: number; fused?: number; layers?: number }[] = [];
const started = new Date().toISOString().slice(0, 10);

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  await tf.ready();
  const simd = await msPerBatch(config, 32, RUNS, true);
  setSimdLstm(false);
  const fused = await msPerBatch(config, 32, RUNS, true);
  setSimdLstm(true);
  const layers = await msPerBatch(config, 32, RUNS, false);
  rows.push({ where: `Node ${process.version}`, backend, simd, fused, layers });
  console.log(`node ${backend}: SIMD kernel ${simd.toFixed(0)} ms, fused ${fused.toFixed(0)} ms, tf.layers.lstm ${layers.toFixed(0)} ms`);
}

// Data-parallel: the same batch of 32 shared between this thread and helper threads (SIMD kernel),
// every thread count in turn for EPOCH_ROUNDS rounds of RUNS × 2 batches, so a slow spell of the
// machine hits them all.
await tf.setBackend('wasm');
const cores = availableParallelism();
const threadCounts = [...new Set([1, 2, cores])];
const values = Float32Array.from({ length: 32 * 130 * 13 }, () => Math.random() * 2 - 1);
const labels = Float32Array.from({ length: 32 }, (_, i) => i % 10);
const parallel = threadCounts.map((threads) => {
  const model = buildModel(config);
  return { threads, model, trainer: new DataParallelTrainer(new FastModel(model), config.learningRate, nodeReplicas(threads - 1, config, 'wasm')), ms: [] as number[] };
});
// Warm-up: threads start, kernels compile.
for (const p of parallel) for (let i = 0; i < 2; i++) await p.trainer.step(values, labels, 32, 130, 13);
for (let round = 0; round < EPOCH_ROUNDS; round++) {
  for (const p of parallel) {
    const t0 = performance.now();
    for (let i = 0; i < RUNS * 2; i++) await p.trainer.step(values, labels, 32, 130, 13);
    p.ms.push((performance.now() - t0) / (RUNS * 2));
  }
}
for (const p of parallel) {
  p.trainer.dispose();
  p.model.dispose();
  console.log(`node wasm data-parallel, ${p.threads} thread(s): ${p.ms.map((m) => m.toFixed(0)).join(', ')} ms a batch`);
}

// A whole epoch, training and validation, as runSession runs it: the second of two (the first
// starts the helper threads).
async function epochSeconds(threads: number): Promise<{ train: number; validation: number }> {
  let last: EpochReport | undefined;
  const helpers = threads > 1 ? (c: ModelConfig) => nodeReplicas(threads - 1, c, 'wasm') : undefined;
  const r = await runSession(timingData(), { ...timingOptions(2), skipTest: true, helpers }, { onEpoch: (e) => void (last = e) });
  r.model.dispose();
  return { train: last!.seconds, validation: last!.validationSeconds };
}
const epochRows: { where: string; threads: number; train: number[]; validation: number[] }[] = [];
const epochThreads = [...new Set([1, cores])];
for (const threads of epochThreads) epochRows.push({ where: `Node ${process.version}`, threads, train: [], validation: [] });
for (let round = 0; round < EPOCH_ROUNDS; round++) {
  for (const [i, threads] of epochThreads.entries()) {
    const e = await epochSeconds(threads);
    epochRows[i].train.push(e.train);
    epochRows[i].validation.push(e.validation);
    console.log(`node wasm epoch, ${threads} thread(s): ${e.train.toFixed(2)} s training + ${e.validation.toFixed(2)} s validation`);
  }
}

// The convolutional networks (default sizes: 16 filters doubling per block), the same batch, on
// the recipe's 13 MFCCs and on 64-band log-mel.
const convRows: { where: string; backend: string; model: string; ms: number }[] = [];
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  await tf.ready();
  for (const c of CONV_CASES) {
    const ms = await msPerBatch({ ...config, ...c, filters: 16 }, 32, RUNS, false);
    const model = `${c.architecture} [130, ${c.coefficients}]`;
    convRows.push({ where: `Node ${process.version}`, backend, model, ms });
    console.log(`node ${backend}: ${model} ${ms.toFixed(0)} ms`);
  }
}

const kernels = await selfCheck(`bench=${RUNS}`);
const chromium = `Chromium ${kernels.version}`;
for (const r of kernels.results.results) {
  if (!r.available) continue;
  rows.push({ where: chromium, backend: r.backend, simd: r.simdMs, fused: r.fastMs, layers: r.layersMs });
  console.log(`chromium ${r.backend}: SIMD kernel ${r.simdMs?.toFixed(0) ?? '—'} ms, fused ${r.fastMs?.toFixed(0)} ms, tf.layers.lstm ${r.layersMs?.toFixed(0)} ms (self-check ${r.pass ? 'pass' : 'FAIL'})`);
  for (const [model, ms] of Object.entries(r.convMs ?? {})) convRows.push({ where: chromium, backend: r.backend, model, ms });
}
// The page's own training worker, WASM, one thread and every core taking turns.
const pageEpochs = (await selfCheck(`epochs=${EPOCH_ROUNDS}`)).results.epochs ?? [];
for (const threads of [...new Set(pageEpochs.map((e) => e.threads))]) {
  const mine = pageEpochs.filter((e) => e.threads === threads);
  epochRows.push({ where: chromium, threads, train: mine.map((e) => e.trainSeconds), validation: mine.map((e) => e.validationSeconds) });
}

/** The PyTorch anchor's lines, or why there are none. */
function torchAnchor(): string[] {
  const script = resolve(import.meta.dirname, '../../shared/anchors/torch_lstm_speed.py');
  if (!existsSync(script)) return [`(no ${script})`];
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return execFileSync(python, [script], { encoding: 'utf8', timeout: 600_000 }).trim().split('\n');
    } catch {
      // next
    }
  }
  return ['(python3 cannot import torch here: apt-get install -y python3-torch to run the anchor)'];
}
const anchor = torchAnchor();

const cell = (ms: number | undefined) => (ms === undefined ? '—'.padStart(8) : ms.toFixed(0).padStart(8));
const rate = (ms: number | undefined) => (ms === undefined ? '—'.padStart(9) : (32000 / ms).toFixed(0).padStart(9));
console.log(`\nreference model [130, 13], batch 32, after a warm-up batch, mean of ${RUNS}, ${started}`);
console.log('where                   backend    SIMD ms  samples/s  fused ms  samples/s  layers ms  samples/s');
for (const r of rows) {
  console.log(`${r.where.padEnd(22)}  ${r.backend.padEnd(8)} ${cell(r.simd)} ${rate(r.simd)}  ${cell(r.fused)} ${rate(r.fused)}  ${cell(r.layers)} ${rate(r.layers)}`);
}
console.log(`\ndata-parallel training, Node WASM, SIMD kernel, batch 32 shared between threads (${cores} cores here), medians of ${EPOCH_ROUNDS} rounds taking turns, and of each round's ratio:`);
for (const p of parallel) {
  const ms = median(p.ms);
  const ratios = parallel[0].ms.map((one, i) => one / p.ms[i]);
  console.log(`  ${p.threads} thread(s): ${ms.toFixed(0)} ms/batch, ${(32000 / ms).toFixed(0)} samples/s, ${median(ratios).toFixed(2)}× one thread (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
}
const epochData = timingData();
console.log(`\nan epoch of the recipe, WASM, SIMD kernel: ${epochData.labels.length} segments split by clip as GTZAN's fault-filtered lists are (290 of 930 clips test, 197 of 640 validation), ${EPOCH_ROUNDS} rounds of one thread then every core; medians, and the median of each round's ratio (the machine's speed drifts from round to round, less within one):`);
for (const r of epochRows) {
  const one = epochRows.find((o) => o.where === r.where && o.threads === 1)!;
  const totals = (x: typeof r) => x.train.map((t, i) => t + x.validation[i]);
  const ratios = totals(one).map((t, i) => t / totals(r)[i]);
  console.log(`  ${r.where.padEnd(24)} ${r.threads} thread(s): ${median(r.train).toFixed(2)} s training + ${median(r.validation).toFixed(2)} s validation = ${median(totals(r)).toFixed(2)} s; `
    + `${median(ratios).toFixed(2)}× one thread (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
}
console.log('\nPyTorch anchor (../shared/anchors/torch_lstm_speed.py), same run:');
for (const line of anchor) console.log(`  ${line}`);

console.log(`\nconvolutional networks (16 filters), batch 32, after a warm-up batch, mean of ${RUNS}`);
console.log('where                   backend   model              ms/batch  samples/s');
for (const r of convRows) console.log(`${r.where.padEnd(22)}  ${r.backend.padEnd(8)}  ${r.model.padEnd(17)} ${r.ms.toFixed(0).padStart(9)} ${(32000 / r.ms).toFixed(1).padStart(10)}`);
