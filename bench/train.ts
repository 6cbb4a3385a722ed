/**
 * npm run bench:train — ms per batch of 32 and samples per second for the reference model
 * (LSTM 64 → LSTM 64 → Dense 64 → Dropout → Dense 10) at [130, 13], after one warm-up batch,
 * with the fused LSTM and with tf.layers.lstm side by side, and the two CNNs on MFCCs and on
 * log-mel: in Node on tfjs's WASM and CPU backends, and in headless Chromium on WebGL, WASM and
 * CPU (through self-check.html?bench).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { REFERENCE_MODEL, type ModelConfig } from '../src/model/config';
import { msPerBatch } from '../src/model/estimate';
import { CONV_CASES } from '../src/self-check/conv-cases';
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const config: ModelConfig = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 10 };
const rows: { where: string; backend: string; fast: number; layers: number }[] = [];

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  await tf.ready();
  const fast = await msPerBatch(config, 32, RUNS, true);
  const layers = await msPerBatch(config, 32, RUNS, false);
  rows.push({ where: `Node ${process.version}`, backend, fast, layers });
  console.log(`node ${backend}: fast ${fast.toFixed(0)} ms, tf.layers.lstm ${layers.toFixed(0)} ms`);
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

if (!process.argv.includes('--no-build')) buildPage();
const server = await serveStatic(DIST);
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${server.url}self-check.html?bench=${RUNS}`, { waitUntil: 'domcontentloaded' });
await page.waitForFunction(() => window.gtzanSelfCheck?.done === true, undefined, { timeout: 1_800_000, polling: 1000 });
const results = await page.evaluate(() => window.gtzanSelfCheck!.results);
for (const r of results) {
  if (!r.available || r.fastMs === undefined || r.layersMs === undefined) continue;
  rows.push({ where: `Chromium ${browser.version()}`, backend: r.backend, fast: r.fastMs, layers: r.layersMs });
  console.log(`chromium ${r.backend}: fast ${r.fastMs.toFixed(0)} ms, tf.layers.lstm ${r.layersMs.toFixed(0)} ms (self-check ${r.pass ? 'pass' : 'FAIL'})`);
  for (const [model, ms] of Object.entries(r.convMs ?? {})) convRows.push({ where: `Chromium ${browser.version()}`, backend: r.backend, model, ms });
}
await browser.close();
await server.close();

console.log(`\nreference model [130, 13], batch 32, after a warm-up batch, mean of ${RUNS}`);
console.log('where                   backend   fast ms  samples/s   layers ms  samples/s   speed-up');
for (const r of rows) {
  console.log(`${r.where.padEnd(22)}  ${r.backend.padEnd(8)} ${r.fast.toFixed(0).padStart(8)} ${(32000 / r.fast).toFixed(1).padStart(10)}  ${r.layers.toFixed(0).padStart(10)} ${(32000 / r.layers).toFixed(1).padStart(10)}   ${(r.layers / r.fast).toFixed(2).padStart(7)}×`);
}

console.log(`\nconvolutional networks (16 filters), batch 32, after a warm-up batch, mean of ${RUNS}`);
console.log('where                   backend   model              ms/batch  samples/s');
for (const r of convRows) console.log(`${r.where.padEnd(22)}  ${r.backend.padEnd(8)}  ${r.model.padEnd(17)} ${r.ms.toFixed(0).padStart(9)} ${(32000 / r.ms).toFixed(1).padStart(10)}`);
