import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadAudio } from '../../src/dsp/load';
import { toTrainingData } from '../../src/dataset/training-data';
import { DEFAULT_SPLIT } from '../../src/model/data/split';
import { modelToFiles } from '../../src/model/files/artifacts';
import { zipModel } from '../../src/model/files/model-zip';
import { makeMetadata } from '../../src/model/training/make-metadata';
import { runSession, type SessionOptions } from '../../src/model/training/session';
import { encodeWav, synthClip } from '../fixtures/audio';
import { syntheticFeatures } from '../fixtures/features';
import { CHROME_PATH, CHROMIUM_ARGS } from '../support/browser';
import { openLab } from '../support/lab-page';

/** A real GTZAN clip where this machine has one (GTZAN_CLIP or /work/music), else a generated one. */
const REAL = process.env.GTZAN_CLIP ?? '/work/music/genres/jazz/jazz.00000.wav';

/** Tasks longer than 50 ms on the page's thread, as the browser's Long Tasks API sees them. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  });
}
const longestTask = (page: Page) => page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));

async function table(page: Page, testId: string): Promise<Record<string, number>> {
  const rows = page.locator(`[data-testid="${testId}"] tbody tr`);
  await rows.first().waitFor({ timeout: 60_000 });
  const out: Record<string, number> = {};
  for (const row of await rows.all()) out[(await row.getAttribute('data-genre'))!] = Number(await row.getAttribute('data-probability'));
  return out;
}

describe('explanations and live classification in Classify', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let clip: string;
  let zip: string;
  /** The file's own segment probabilities, from the page's classification of it. */
  let fileSegments: number[][];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-explain-'));
    // A 12 s cut of the clip: four segments, the same audio the fake microphone plays in a loop.
    clip = join(dir, 'clip.wav');
    const samples = existsSync(REAL) ? loadAudio(new Uint8Array(readFileSync(REAL)), 22050).samples.slice(0, 12 * 22050) : synthClip(1, 12, 22050, 5);
    writeFileSync(clip, encodeWav({ samples, sampleRate: 22050 }));
    // A small 1-D CNN on MFCCs, trained for a few epochs so its answers are not all certain.
    const set = syntheticFeatures({ genres: 3, clipsPerGenre: 6, seconds: 9 });
    const data = toTrainingData(set);
    const options: SessionOptions = {
      model: { architecture: 'conv1d', filters: 8, lstmUnits: [16, 16], denseUnits: 16, dropout: 0.1, learningRate: 3e-3 },
      train: { epochs: 3, batchSize: 16, seed: 1, standardize: true },
      split: DEFAULT_SPLIT,
    };
    const r = await runSession(data, options);
    zip = join(dir, 'model.zip');
    writeFileSync(zip, zipModel(await modelToFiles(r.model), makeMetadata(data, set.settings, options, r, r.evaluation, 'cpu')));
    browser = await chromium.launch({
      executablePath: CHROME_PATH, headless: true,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${clip}`],
    });
    ({ page, errors } = await openLab(browser, inject('baseUrl')));
    await page.getByLabel('Load model files').setInputFiles(zip);
    await page.getByTestId('classify-model').filter({ hasText: 'Using the model loaded from model.zip' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Choose a clip to classify').setInputFiles(clip);
    await table(page, 'clip-probabilities');
    fileSegments = await page.getByTestId('classify-explain').evaluate((el) => JSON.parse(el.getAttribute('data-segments')!));
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('explains the clip over its own features, for the predicted genre and a chosen one, without freezing the page; a region plays its part of the clip', async () => {
    await watchLongTasks(page);
    await page.getByRole('button', { name: 'Explain: which regions moved the model' }).click();
    const regions = page.locator('[data-testid="explanation-regions"] li');
    await regions.first().waitFor({ timeout: 120_000 });
    expect(await regions.count()).toBe(5);
    expect(await page.locator('[data-testid="explanation"] figure canvas').count()).toBe(4);
    const predicted = await page.getByLabel('Explain the genre').locator('option:checked').textContent();
    expect(predicted).toMatch(/\(predicted\)$/);
    const first = await regions.first().getAttribute('data-weight');
    expect(Number(first)).toBeGreaterThan(0);
    // Another genre: a different ranking of the same patches.
    const other = await page.getByLabel('Explain the genre').locator('option:not(:checked)').first().getAttribute('value');
    const before = await regions.evaluateAll((li) => li.map((l) => `${l.getAttribute('data-start')} ${l.getAttribute('data-weight')}`));
    await page.getByLabel('Explain the genre').selectOption(other!);
    await expect.poll(() => regions.evaluateAll((li) => li.map((l) => `${l.getAttribute('data-start')} ${l.getAttribute('data-weight')}`))).not.toEqual(before);
    // Clicking a region plays that part of the clip.
    const start = Number(await regions.first().getAttribute('data-start'));
    const played = page.evaluate(() => new Promise<{ start: number; end: number }>((resolve) => {
      document.addEventListener('play-region', (e) => resolve((e as CustomEvent).detail), { once: true });
    }));
    await regions.first().getByRole('button').click();
    expect((await played).start).toBeCloseTo(start, 5);
    expect(await longestTask(page)).toBeLessThan(250);
    expect(errors).toEqual([]);
  });

  it('Listen classifies what the fake microphone plays like the file\'s own classification, until Stop, and the page stays responsive', async () => {
    await watchLongTasks(page);
    await page.getByRole('button', { name: 'Listen' }).click();
    const live = page.getByTestId('live-probabilities');
    await expect.poll(async () => Number(await live.getAttribute('data-segments').catch(() => '0')), { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(4);
    const heard: number[][] = JSON.parse((await live.getAttribute('data-history'))!);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByRole('button', { name: 'Listen' }).isVisible()).resolves.toBe(true);
    // The fake device plays the file from its start: live segment i is the file's segment i, up
    // to where capture began. Compared as the mean over the four segments, genre by genre.
    const mean = (rows: number[][]) => rows[0].map((_, k) => rows.reduce((s, r) => s + r[k], 0) / rows.length);
    const liveMean = mean(heard.slice(0, 4));
    const fileMean = mean(fileSegments);
    console.log(`file ${fileMean.map((v) => v.toFixed(3))} live ${liveMean.map((v) => v.toFixed(3))}`);
    liveMean.forEach((v, k) => expect(Math.abs(v - fileMean[k])).toBeLessThan(0.05));
    expect(await longestTask(page)).toBeLessThan(250);
    expect(errors).toEqual([]);
  });
});
