/**
 * npm run bench:extract — builds the page, opens it in headless Chromium, chooses a generated set
 * of 100 clips of 30 s, and measures extraction with the worker pool and with one worker, each in
 * a fresh browser context (empty cache). Prints clips per second and the projected time for
 * GTZAN's 1000 clips.
 */
import { rmSync } from 'node:fs';
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';
import { writeTree } from '../tests/fixtures/dataset-tree';

const CLIPS = Number(process.env.BENCH_CLIPS ?? 100);
const genres = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];

if (!process.argv.includes('--no-build')) buildPage();
console.log(`generating ${CLIPS} clips of 30 s…`);
const tree = writeTree({ genres, clipsPerGenre: Math.ceil(CLIPS / genres.length), seconds: 30, extras: false });
const server = await serveStatic(DIST);
const browser = await launchChromium();

async function measure(workers: number | undefined): Promise<{ workers: number; seconds: number; rate: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();

  await page.goto(server.url + (workers ? `?workers=${workers}` : ''));
  const used = workers ?? (await page.evaluate(() => navigator.hardwareConcurrency));
  const bar = page.getByRole('progressbar', { name: 'Feature extraction' });
  const input = page.getByLabel('Choose dataset folder');
  const t0 = Date.now();
  await input.setInputFiles(tree.dir);
  await page.waitForFunction(() => {
    const host = document.querySelector('gtzan-lab')?.shadowRoot?.querySelector('dataset-panel')?.shadowRoot;
    return !!host?.querySelector('dataset-summary')?.shadowRoot?.querySelector('[data-testid="extraction-summary"]');
  }, undefined, { timeout: 600_000, polling: 50 });
  const seconds = (Date.now() - t0) / 1000;
  const total = Number(await bar.getAttribute('aria-valuemax'));
  const summary = await page.getByTestId('extraction-summary').innerText();
  if (process.env.BENCH_VERBOSE) console.log(summary);
  await context.close();

  return { workers: used, seconds, rate: total / seconds };
}

const pool = await measure(undefined);
const one = await measure(1);
await browser.close();
await server.close();
rmSync(tree.dir, { recursive: true, force: true });

const chromium = 'headless Chromium (Debian), SwiftShader';
console.log(`\n${CLIPS} clips of 30 s, 22050 Hz 16-bit WAV, 10 segments each; ${chromium}`);
for (const r of [pool, one]) {
  console.log(`${String(r.workers).padStart(2)} worker${r.workers > 1 ? 's' : ' '}  ${r.seconds.toFixed(1).padStart(6)} s   ${r.rate.toFixed(1).padStart(6)} clips/s   GTZAN (1000 clips) ≈ ${(1000 / r.rate).toFixed(1)} s`);
}
console.log(`pool speed-up over one worker: ${(pool.rate / one.rate).toFixed(2)}×`);
