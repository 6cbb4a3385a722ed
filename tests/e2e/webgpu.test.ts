import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { chooseDataset, openLab, setField, type LabPage } from '../support/lab-page';
import { writeTree } from '../fixtures/dataset-tree';

/** Visible text with whitespace collapsed, as a person reads it. */
async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The WebGPU engine in headless Chromium, whose WebGPU here is SwiftShader (a CPU rasteriser):
 * it must compute what tfjs-cpu computes. Its speed means nothing here and is never timed.
 */
describe('the WebGPU engine in Chromium on SwiftShader', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('trains the recipe LSTM, the 2-D CNN and the 1-D CNN to tfjs-cpu\'s weights within 1e-4 after 3 batches, its outputs and gradients too', { timeout: 300_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${inject('baseUrl')}self-check.html?webgpu`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.gtzanSelfCheck?.done === true, undefined, { timeout: 280_000 });
    const r = await page.evaluate(() => window.gtzanSelfCheck!.webgpu!);
    expect(r.adapter, 'a WebGPU adapter').toMatchObject({ vendor: 'google', architecture: 'swiftshader' });
    expect(r.cases.map((c) => c.name)).toEqual(['recipe LSTM [12, 13], 2 × 8 units', '2-D CNN [24, 13], 8 filters', '1-D CNN [26, 13], 8 filters']);
    for (const c of r.cases) {
      expect(c.backends, `${c.name}: trained on`).toEqual(['webgpu', 'cpu']);
      expect(c.probabilities, `${c.name}: probabilities`).toBeLessThan(1e-4);
      expect(c.loss, `${c.name}: loss`).toBeLessThan(1e-4);
      expect(c.gradients, `${c.name}: gradients`).toBeLessThan(1e-4);
      expect(c.stepLoss, `${c.name}: the 3 steps' losses`).toBeLessThan(1e-4);
      expect(c.weights, `${c.name}: weights after 3 steps`).toBeLessThan(1e-4);
      // Training moved the weights: the comparison is not of two untouched copies.
      expect(c.moved, `${c.name}: weights moved`).toBeGreaterThan(1e-4);
    }
    expect(await page.getByRole('status').textContent()).toBe('WebGPU (google swiftshader) matches tfjs-cpu.');
    expect(errors).toEqual([]);
  });
});

describe('the backend choice in the lab, with WebGPU on SwiftShader', () => {
  let browser: Browser;
  let lab: LabPage;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
    lab = await openLab(browser, inject('baseUrl'));
    await chooseDataset(lab.page, writeTree({ clipsPerGenre: 4, extras: false }).dir);
    await setField(lab.page, 'LSTM units (each of 2 layers)', '8');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the automatic choice leaves WebGPU out on a software adapter and says why', async () => {
    await expect.poll(() => text(lab.page, 'estimate'), { timeout: 120_000 }).toMatch(/^Expected: .* on wasm with the fast LSTM/);
    expect(await text(lab.page, 'backend')).toMatch(new RegExp('^Backend: wasm — WebAssembly: your WebGL is a software renderer \\(.*SwiftShader.*\\), slower than WASM for this model\\.'
      + ' WebGPU is not used: its adapter \\(google swiftshader\\) is a software renderer, which runs on the CPU\\.$'));
  });

  // tf.layers.lstm dispatches a few dozen small programs per time step, each slow on SwiftShader:
  // one epoch of one batch takes minutes here.
  it('WebGPU picked in the backend select trains a run on it, on one thread', { timeout: 480_000 }, async () => {
    await lab.page.getByLabel('Backend').selectOption('webgpu');
    await expect.poll(() => text(lab.page, 'estimate'), { timeout: 120_000 }).toMatch(/^Expected: [\d.]+ s per batch of 32 on webgpu with tf\.layers\.lstm, measured on 1 thread/);
    expect(await text(lab.page, 'backend')).toBe('Backend: webgpu — WebGPU on google swiftshader, as chosen; slow here: its adapter (google swiftshader) is a software renderer, which runs on the CPU.');
    await setField(lab.page, 'Epochs', '1');
    await lab.page.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => lab.page.getByTestId('test-accuracy').count(), { timeout: 420_000 }).toBe(1);
    expect(await text(lab.page, 'test-accuracy')).toMatch(/^Test accuracy: [\d.]+ % per segment/);
    expect(await text(lab.page, 'train-status')).toMatch(/one thread\./);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });
});
