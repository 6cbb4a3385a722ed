import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';

describe('the fused LSTM in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('matches tf.layers.lstm (outputs and all gradients) on WebGL, WASM and CPU', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${inject('baseUrl')}self-check.html?run`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.gtzanSelfCheck?.done === true, undefined, { timeout: 170_000 });
    const results = await page.evaluate(() => window.gtzanSelfCheck!.results);
    for (const backend of ['webgl', 'wasm', 'cpu']) {
      const r = results.find((x) => x.backend === backend);
      expect(r?.available, `${backend} available`).toBe(true);
      expect(r?.fusedKernels, `${backend} uses its fused kernels`).toBe(true);
      // WASM and CPU run the WebAssembly SIMD kernel (the error below is its, and the fused kernels').
      expect(r?.simdKernel, `${backend} runs the SIMD kernel`).toBe(backend !== 'webgl');
      expect(r?.maxError, `${backend} error`).toBeLessThan(1e-4);
    }
    expect(await page.getByRole('status').textContent()).toBe('All available backends pass.');
    expect(errors).toEqual([]);
  });
});
