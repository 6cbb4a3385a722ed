/**
 * npm run bench:train — ms per batch of 32 and samples per second for the reference model
 * (LSTM 64 → LSTM 64 → Dense 64 → Dropout → Dense 10) at [130, 13], after a warm-up batch:
 * in Node on tfjs's CPU and WASM backends, and in headless Chromium on WebGL, WASM and CPU
 * (through the page's own training worker and its speed estimate).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { REFERENCE_MODEL, type ModelConfig } from '../src/model/config';
import { msPerBatch } from '../src/model/estimate';
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';
import { writeTree } from '../tests/fixtures/dataset-tree';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const config: ModelConfig = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 10 };
const rows: { where: string; backend: string; ms: number }[] = [];

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  await tf.ready();
  const ms = await msPerBatch(config, 32, RUNS);
  rows.push({ where: `Node ${process.version}`, backend, ms });
  console.log(`node ${backend}: ${ms.toFixed(0)} ms per batch`);
}

if (!process.argv.includes('--no-build')) buildPage();
const server = await serveStatic(DIST);
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${server.url}?estimateRuns=${RUNS}`);
// The page measures speed once it has features; a tiny dataset of 10 genres gives them.
const tree = writeTree({ genres: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], clipsPerGenre: 1, seconds: 3, extras: false });
await page.getByLabel('Choose dataset folder').setInputFiles(tree.dir);
await page.getByTestId('extraction-summary').waitFor({ timeout: 60_000 });
const version = browser.version();
for (const backend of ['webgl', 'wasm', 'cpu']) {
  await page.getByLabel('Backend').selectOption(backend);
  const estimate = page.getByTestId('estimate');
  // Changing the backend clears the old figure; wait for the new one.
  await estimate.waitFor({ state: 'detached', timeout: 10_000 });
  await estimate.waitFor({ timeout: 600_000 });
  const text = (await estimate.textContent())?.replace(/\s+/g, ' ');
  const m = text?.match(/([\d.]+) s per batch of 32 on (\w+)/);
  if (!m) throw new Error(`no estimate for ${backend}: ${text}`);
  rows.push({ where: `Chromium ${version}`, backend: m[2] === backend ? backend : `${backend} (fell back to ${m[2]})`, ms: Number(m[1]) * 1000 });
  console.log(`chromium ${backend}: ${text}`);
}
await browser.close();
await server.close();

console.log('\nreference model [130, 13], batch 32, tf.layers.lstm, after a warm-up batch');
console.log('where                   backend   ms/batch   samples/s');
for (const r of rows) console.log(`${r.where.padEnd(22)}  ${r.backend.padEnd(8)}  ${r.ms.toFixed(0).padStart(8)}  ${(32000 / r.ms).toFixed(1).padStart(10)}`);
