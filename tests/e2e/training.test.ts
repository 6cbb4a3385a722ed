import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { modelFromFiles } from '../../src/model/artifacts';
import { parseMetadata } from '../../src/model/metadata';
import { unzipModel } from '../../src/model/model-zip';
import { launchChromium } from '../support/browser';
import { openLab } from '../support/lab-page';
import { writeTree } from '../fixtures/dataset-tree';

/** Visible text with whitespace collapsed, as a person reads it. */
async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function setNumber(page: Page, label: string, value: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Tab');
}

describe('training in the page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    ({ page, errors } = await openLab(browser, inject('baseUrl')));
    const tree = writeTree({ clipsPerGenre: 4, extras: false });
    await page.getByLabel('Choose dataset folder').setInputFiles(tree.dir);
    await page.getByTestId('extraction-summary').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says how long an epoch will take before training starts', async () => {
    await setNumber(page, 'LSTM units (each of 2 layers)', '8');
    await expect.poll(() => text(page, 'estimate'), { timeout: 120_000 })
      .toMatch(/Expected: [\d.]+ s per batch of 32 on (wasm|webgl|cpu) with the fast LSTM → about .+ per epoch \(1 batches\)/);
    expect(await text(page, 'backend')).toMatch(/Backend: (wasm|webgl|cpu)/);
  });

  it('trains 2 epochs with live curves, then reports test accuracy with its split', async () => {
    await setNumber(page, 'Epochs', '2');
    await setNumber(page, 'Batch size', '8');
    await page.getByLabel('Learning rate').selectOption('0.01');
    await page.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => page.getByTestId('test-accuracy').count(), { timeout: 180_000 }).toBe(1);
    const accuracy = await text(page, 'test-accuracy');
    expect(accuracy).toMatch(/Test accuracy: [\d.]+ % per segment, [\d.]+ % per clip \(split by clip \(no clip on two sides\); 6 test segments from 3 clips\)/);
    // Both charts drew: vega put a canvas or an svg into each container.
    for (const chart of ['loss', 'accuracy', 'confusion', 'per-genre']) {
      await expect.poll(() => page.locator(`[data-chart="${chart}"] canvas, [data-chart="${chart}"] svg`).count()).toBeGreaterThan(0);
    }
    expect(await text(page, 'chart-text')).toMatch(/Epoch 2\/2: loss [\d.]+, accuracy [\d.]+ %, validation loss [\d.]+/);
    expect(await text(page, 'train-status')).toMatch(/Last epoch took [\d.]+ s, [\d.]+ samples\/s/);
    expect(await text(page, 'per-genre')).toMatch(/blues/);
    await page.getByText(/Model summary/).click();
    expect(await text(page, 'model-summary')).toMatch(/LSTM.*LSTM.*Dense.*Dropout.*Dense/s);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('downloads a zip whose model.json + weights.bin tf.loadLayersModel loads in Node', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download model' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^gtzan-model-.*\.zip$/);
    const unzipped = unzipModel(new Uint8Array(readFileSync((await file.path())!)));
    const meta = parseMetadata(unzipped.metadata);
    expect(meta.genres).toEqual(['blues', 'classical', 'rock']);
    expect(meta.split.mode).toBe('clip');
    expect(meta.inputShape).toEqual([130, 13]);
    await tf.setBackend('cpu');
    const model = await modelFromFiles(unzipped.modelJson, unzipped.weights);
    const out = model.predict(tf.zeros([1, 130, 13])) as tf.Tensor;
    expect(out.shape).toEqual([1, 3]);
    expect((await out.sum().data())[0]).toBeCloseTo(1, 4);
    model.dispose();
  });

  it('keeps the trained model across a reload', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Restore model' }).click();
    await expect.poll(() => page.getByTestId('test-accuracy').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Download model' }).isEnabled()).toBe(true);
  });
});
