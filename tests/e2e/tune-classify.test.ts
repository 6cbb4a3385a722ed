import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { chooseDataset, openLab, setField } from '../support/lab-page';
import { encodeWav, synthClip } from '../fixtures/audio';
import { writeTree } from '../fixtures/dataset-tree';

async function probabilities(page: Page): Promise<Record<string, number>> {
  const rows = page.locator('[data-testid="clip-probabilities"] tbody tr');
  await rows.first().waitFor({ timeout: 60_000 });
  const out: Record<string, number> = {};
  for (const row of await rows.all()) out[(await row.getAttribute('data-genre'))!] = Number(await row.getAttribute('data-probability'));
  return out;
}

describe('tuning and classifying in the page', () => {
  let browser: Browser;
  let page: Page;
  let clip: string;
  let dir: string;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    ({ page, errors } = await openLab(browser, inject('baseUrl'), { acceptDownloads: true }));
    const tree = writeTree({ clipsPerGenre: 8, seconds: 9, extras: false });
    await chooseDataset(page, tree.dir);
    dir = mkdtempSync(join(tmpdir(), 'gtzan-classify-'));
    // A rock-like clip (genre index 2 of blues, classical, rock) the model never saw.
    clip = join(dir, 'new rock clip.wav');
    writeFileSync(clip, encodeWav({ samples: synthClip(2, 9, 22050, 99), sampleRate: 22050 }));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('tunes with Bayesian optimisation over the three models and loads the best trial into the training form', async () => {
    await page.getByLabel('Standardise each coefficient (fitted on the training split)').check();
    await setField(page, 'Trials', '3');
    await setField(page, 'Epochs per trial', '1');
    await setField(page, 'Largest units', '32');
    await page.getByRole('button', { name: 'Tune' }).click();
    const table = page.getByTestId('trials');
    // Trials side by side, one per core (at most 8, and no more than the 3 asked for).
    const cores = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
    const lanes = Math.min(cores, 3);
    const threads = Math.floor(cores / lanes);
    const plan = lanes > 1 ? `${lanes} trials side by side, ${threads} thread${threads > 1 ? 's' : ''} each.` : `One trial at a time, on ${threads} thread${threads > 1 ? 's' : ''}.`;
    await expect.poll(() => page.getByTestId('tuning-plan').textContent(), { timeout: 30_000 }).toBe(plan);
    if (lanes > 1) {
      await expect.poll(() => table.locator('tbody tr', { hasText: 'running' }).count(), { timeout: 60_000, interval: 20 }).toBe(lanes);
      await expect.poll(() => page.getByTestId('tuning-status').textContent(), { timeout: 60_000, interval: 20 }).toMatch(/Trial \d of 3: .* · Trial \d of 3: /);
    }
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 180_000 }).toBe(3);
    await expect.poll(() => page.getByRole('button', { name: 'Use best' }).isEnabled(), { timeout: 180_000 }).toBe(true);
    const rows = await table.locator('tbody tr').allInnerTexts();
    // One trial of each model first; each row names its model and shows only the sizes it has.
    // … validation accuracy with its interval over the validation clips, the best epoch, the time.
    expect(rows.find((r) => r.includes('LSTM (the recipe)'))).toMatch(/LSTM \(the recipe\)\s+32\s+—\s+32\s+0(\.\d)?\s+0\.0*1\s+32\s+[\d.]+ %\s+[\d.]+–[\d.]+ %, \d+ clips\s+\d+\s+[\d.]+ s/);
    expect(rows.find((r) => r.includes('2-D CNN'))).toMatch(/2-D CNN.*\)\s+—\s+(8|16|32|64)\s+—\s+0(\.\d)?\s+0\.0*1\s+32\s+[\d.]+ %/);
    expect(rows.find((r) => r.includes('1-D CNN'))).toMatch(/1-D CNN.*\)\s+—\s+(8|16|32|64)\s+32\s+0(\.\d)?\s+0\.0*1\s+32\s+[\d.]+ %/);
    const best = rows.filter((r) => r.includes('(best)'));
    expect(best).toHaveLength(1);
    expect(await page.locator('[data-chart="best-so-far"] canvas, [data-chart="best-so-far"] svg').count()).toBeGreaterThan(0);
    await page.getByLabel('Dropout').fill('0.85');
    await page.getByLabel('Dropout').press('Tab');
    await page.getByRole('button', { name: 'Use best' }).click();
    const model = best[0].includes('LSTM') ? 'lstm' : best[0].includes('2-D') ? 'cnn' : 'conv1d';
    await expect.poll(() => page.getByRole('combobox', { name: /^Model/ }).inputValue()).toBe(model);
    expect(await page.getByLabel('Dropout').inputValue()).not.toBe('0.85');
  });

  it('classifies a new clip with the model just trained: probabilities sum to 1, the right genre on top', async () => {
    await page.getByRole('combobox', { name: /^Model/ }).selectOption('lstm');
    await setField(page, 'LSTM units (each of 2 layers)', '16');
    await setField(page, 'Dense units', '16');
    await setField(page, 'Epochs', '10');
    await setField(page, 'Batch size', '16');
    await setField(page, 'Dropout', '0.1');
    await page.getByLabel('Learning rate').selectOption('0.01');
    await page.getByRole('button', { name: 'Train' }).click();
    await page.getByTestId('test-accuracy').waitFor({ timeout: 180_000 });
    await page.getByLabel('Choose a clip to classify').setInputFiles(clip);
    const p = await probabilities(page);
    expect(Object.keys(p).sort()).toEqual(['blues', 'classical', 'rock']);
    expect(Object.values(p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Object.entries(p).sort((a, b) => b[1] - a[1])[0][0]).toBe('rock');
    expect(await page.getByTestId('classify-top').textContent()).toMatch(/new rock clip\.wav: rock/);
    expect(await page.locator('[data-chart="clip-probabilities"] canvas, [data-chart="clip-probabilities"] svg').count()).toBeGreaterThan(0);

    // The exported zip, loaded back from its files, gives the same answer.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download model' }).click();
    const zip = join(dir, 'model.zip');
    await (await download).saveAs(zip);
    await page.getByLabel('Load model files').setInputFiles(zip);
    await expect.poll(() => page.getByTestId('classify-model').textContent()).toMatch(/loaded from model\.zip/);
    await page.getByLabel('Choose a clip to classify').setInputFiles(clip);
    const again = await probabilities(page);
    for (const g of Object.keys(p)) expect(again[g]).toBeCloseTo(p[g], 5);
    expect(errors).toEqual([]);
  });

  it('a broken or incomplete model gets a message, not a stack trace', async () => {
    const junk = join(dir, 'model.json');
    writeFileSync(junk, '{ this is not json');
    await page.getByLabel('Load model files').setInputFiles(junk);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/weights\.bin, metadata\.json are missing/);
    const badZip = join(dir, 'broken.zip');
    writeFileSync(badZip, 'PK not really a zip');
    await page.getByLabel('Load model files').setInputFiles(badZip);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/Could not load the model: not a readable zip file/);
  });
});
