/**
 * npm run bench:train — ms per batch of 32 and samples per second for the reference model
 * (LSTM 64 → LSTM 64 → Dense 64 → Dropout → Dense 10) at [130, 13], after one warm-up batch, in
 * one run: the WebAssembly SIMD LSTM kernel, the fused step kernels it replaced, and
 * tf.layers.lstm, data-parallel training on 1, 2 and all cores (Node worker threads), in Node on tfjs's WASM and CPU backends and in headless Chromium on WebGL,
 * WASM and CPU (through self-check.html?bench); the two CNNs on MFCCs and on log-mel; and, when
 * python3 can import torch (Debian: apt-get install -y python3-torch), the PyTorch CPU anchor
 * from ../shared/anchors/torch_lstm_speed.py with one thread and with every core.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { nodeReplicas } from '../src/cli/node-replicas';
import { buildModel } from '../src/model/build';
import { REFERENCE_MODEL, type ModelConfig } from '../src/model/config';
import { msPerBatch } from '../src/model/estimate';
import { FastModel } from '../src/model/fast-lstm/fast-model';
import { setSimdLstm } from '../src/model/fast-lstm/simd-lstm';
import { DataParallelTrainer } from '../src/model/parallel/data-parallel';
import { CONV_CASES } from '../src/self-check/conv-cases';
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
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

// Data-parallel: the same batch of 32 shared between this thread and helper threads (SIMD kernel).
async function msPerBatchParallel(threads: number): Promise<number> {
  const model = buildModel(config);
  const trainer = new DataParallelTrainer(new FastModel(model), config.learningRate, nodeReplicas(threads - 1, config, tf.getBackend()));
  const values = Float32Array.from({ length: 32 * 130 * 13 }, () => Math.random() * 2 - 1);
  const labels = Float32Array.from({ length: 32 }, (_, i) => i % 10);
  try {
    for (let i = 0; i < 2; i++) await trainer.step(values, labels, 32, 130, 13); // warm-up: threads start, kernels compile
    const t0 = performance.now();
    for (let i = 0; i < RUNS * 2; i++) await trainer.step(values, labels, 32, 130, 13);
    return (performance.now() - t0) / (RUNS * 2);
  } finally {
    trainer.dispose();
    model.dispose();
  }
}
await tf.setBackend('wasm');
const cores = availableParallelism();
const parallelRows: { threads: number; ms: number }[] = [];
for (const threads of [...new Set([1, 2, cores])]) {
  const ms = await msPerBatchParallel(threads);
  parallelRows.push({ threads, ms });
  console.log(`node wasm data-parallel, ${threads} thread(s): ${ms.toFixed(0)} ms`);
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

if (!process.argv.includes('--no-build')) await buildPage();
const server = await serveStatic(DIST);
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${server.url}self-check.html?bench=${RUNS}`, { waitUntil: 'domcontentloaded' });
await page.waitForFunction(() => window.gtzanSelfCheck?.done === true, undefined, { timeout: 1_800_000, polling: 1000 });
const results = await page.evaluate(() => window.gtzanSelfCheck!.results);
for (const r of results) {
  if (!r.available) continue;
  rows.push({ where: `Chromium ${browser.version()}`, backend: r.backend, simd: r.simdMs, fused: r.fastMs, layers: r.layersMs });
  console.log(`chromium ${r.backend}: SIMD kernel ${r.simdMs?.toFixed(0) ?? '—'} ms, fused ${r.fastMs?.toFixed(0)} ms, tf.layers.lstm ${r.layersMs?.toFixed(0)} ms (self-check ${r.pass ? 'pass' : 'FAIL'})`);
  for (const [model, ms] of Object.entries(r.convMs ?? {})) convRows.push({ where: `Chromium ${browser.version()}`, backend: r.backend, model, ms });
}
await browser.close();
await server.close();

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
console.log(`\ndata-parallel training, Node WASM, SIMD kernel, batch 32 shared between threads (${cores} cores here):`);
for (const r of parallelRows) {
  console.log(`  ${r.threads} thread(s): ${r.ms.toFixed(0)} ms/batch, ${(32000 / r.ms).toFixed(0)} samples/s, ${(parallelRows[0].ms / r.ms).toFixed(2)}× one thread`);
}
console.log('\nPyTorch anchor (../shared/anchors/torch_lstm_speed.py), same run:');
for (const line of anchor) console.log(`  ${line}`);

console.log(`\nconvolutional networks (16 filters), batch 32, after a warm-up batch, mean of ${RUNS}`);
console.log('where                   backend   model              ms/batch  samples/s');
for (const r of convRows) console.log(`${r.where.padEnd(22)}  ${r.backend.padEnd(8)}  ${r.model.padEnd(17)} ${r.ms.toFixed(0).padStart(9)} ${(32000 / r.ms).toFixed(1).padStart(10)}`);
