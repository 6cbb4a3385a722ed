/**
 * npm run bench:extract — builds the page, opens it in headless Chromium, chooses a generated set
 * of 100 clips of 30 s, and measures extraction with the worker pool and with one worker, each in
 * a fresh browser context (empty cache), three times each. Prints the median clips per second,
 * the projected time for GTZAN's 1000 clips, and (on Linux) where the CPU time went. The set has
 * GTZAN's names, so GTZAN's dataset check (an MD5 of every clip, after extraction) runs and is
 * timed on its own; the pool is also timed on the same audio under other names, where no check
 * runs, to show that extraction itself does not pay for it.
 */
import { rmSync } from 'node:fs';
import { startCpuCount, type CpuPart } from './chromium-cpu';
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';
import { writeTree } from '../tests/fixtures/dataset-tree';

const CLIPS = Number(process.env.BENCH_CLIPS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const genres = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];

if (!process.argv.includes('--no-build')) await buildPage();
console.log(`generating ${CLIPS} clips of 30 s…`);
const tree = writeTree({ genres, clipsPerGenre: Math.ceil(CLIPS / genres.length), seconds: 30, extras: false });
const otherNames = writeTree({ genres, clipsPerGenre: Math.ceil(CLIPS / genres.length), seconds: 30, extras: false, names: 'other' });
const server = await serveStatic(DIST);
const browser = await launchChromium();

interface Run { workers: number; seconds: number; rate: number; cpu: Map<CpuPart, number> | undefined; checkSeconds?: number }

async function measure(workers: number | undefined, dir = tree.dir): Promise<Run> {
  const context = await browser.newContext();
  const page = await context.newPage();

  await page.goto(server.url + (workers ? `?workers=${workers}` : ''), { waitUntil: 'networkidle' });
  // Time the extraction, not the page's first load: let the offline cache finish filling first,
  // as it has long before a person has found their dataset folder.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForLoadState('networkidle');
  const used = workers ?? (await page.evaluate(() => navigator.hardwareConcurrency));
  const bar = page.getByRole('progressbar', { name: 'Feature extraction' });
  const input = page.getByLabel('Choose dataset folder');
  const cpu = startCpuCount();
  const t0 = Date.now();
  await input.setInputFiles(dir);
  await page.waitForFunction(() => {
    const host = document.querySelector('gtzan-lab')?.shadowRoot?.querySelector('dataset-panel')?.shadowRoot;
    return !!host?.querySelector('dataset-summary')?.shadowRoot?.querySelector('[data-testid="extraction-summary"]');
  }, undefined, { timeout: 600_000, polling: 50 });
  const seconds = (Date.now() - t0) / 1000;
  const cpuParts = cpu?.stop();
  const total = Number(await bar.getAttribute('aria-valuemax'));
  const summary = await page.getByTestId('extraction-summary').innerText();
  if (process.env.BENCH_VERBOSE) console.log(summary);
  let checkSeconds: number | undefined;
  if (dir === tree.dir) {
    await page.getByTestId('gtzan-differing').filter({ hasText: 'compared' }).waitFor({ timeout: 600_000 });
    checkSeconds = (Date.now() - t0) / 1000 - seconds;
  }
  await context.close();

  return { workers: used, seconds, rate: total / seconds, cpu: cpuParts, checkSeconds };
}

/** The run with the median rate of `runs` fresh measurements. */
async function median(workers: number | undefined, dir = tree.dir): Promise<{ run: Run; rates: number[] }> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(workers, dir));
  runs.sort((a, b) => a.rate - b.rate);
  return { run: runs[Math.floor(runs.length / 2)], rates: runs.map((r) => r.rate) };
}

const pool = await median(undefined);
const one = await median(1);
const unchecked = await median(undefined, otherNames.dir);
await browser.close();
await server.close();
for (const t of [tree, otherNames]) rmSync(t.dir, { recursive: true, force: true });

const chromium = 'headless Chromium (Debian), SwiftShader';
console.log(`\n${CLIPS} clips of 30 s, 22050 Hz 16-bit WAV, 10 segments each; ${chromium}; median of ${RUNS} runs`);
for (const { run: r, rates } of [pool, one]) {
  const range = rates.length > 1 ? `  (runs ${rates[0].toFixed(1)}–${rates[rates.length - 1].toFixed(1)})` : '';
  console.log(`${String(r.workers).padStart(2)} worker${r.workers > 1 ? 's' : ' '}  ${r.seconds.toFixed(1).padStart(6)} s   ${r.rate.toFixed(1).padStart(6)} clips/s   GTZAN (1000 clips) ≈ ${(1000 / r.rate).toFixed(1)} s${range}`);
}
console.log(`pool speed-up over one worker: ${(pool.run.rate / one.run.rate).toFixed(2)}×`);
console.log(`the same clips under other names (no GTZAN dataset check): ${unchecked.run.rate.toFixed(1)} clips/s with the pool (runs ${unchecked.rates.map((r) => r.toFixed(1)).join(', ')}); `
  + `GTZAN's dataset check then hashed the ${CLIPS} clips in ${pool.run.checkSeconds?.toFixed(1)} s after extraction (pool), ≈ ${((1000 / CLIPS) * (pool.run.checkSeconds ?? 0)).toFixed(1)} s for GTZAN`);
for (const { run: r } of [pool, one]) {
  if (!r.cpu) continue;
  const total = [...r.cpu.values()].reduce((a, b) => a + b, 0);
  const parts = [...r.cpu].sort((a, b) => b[1] - a[1]).map(([part, s]) => `${part} ${((1000 * s) / CLIPS).toFixed(1)}`);
  console.log(`CPU per clip, ${r.workers} worker${r.workers > 1 ? 's' : ''}: ${((1000 * total) / CLIPS).toFixed(1)} ms = ${parts.join(' + ')} ms (${(total / r.seconds).toFixed(2)} cores busy)`);
}
