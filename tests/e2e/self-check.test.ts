import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';

describe('self-check.html in headless Chromium: the SIMD LSTM and the SIMD CNN against tfjs', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the SIMD LSTM kernel matches tf.layers.lstm (outputs and all gradients) on WASM and CPU, WebGL trains with tfjs layers; the SIMD CNN matches tfjs-cpu with both SIMD builds', { timeout: 420_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${inject('baseUrl')}self-check.html?run`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.gtzanSelfCheck?.done === true, undefined, { timeout: 400_000 });
    const results = await page.evaluate(() => window.gtzanSelfCheck!.results);
    for (const backend of ['webgl', 'wasm', 'cpu']) {
      const r = results.find((x) => x.backend === backend);
      expect(r?.available, `${backend} available`).toBe(true);
      // WASM and CPU run the WebAssembly SIMD kernel, held to tf.layers.lstm; WebGL has tfjs's layers alone.
      expect(r?.simdKernel, `${backend} runs the SIMD kernel`).toBe(backend !== 'webgl');
      if (backend !== 'webgl') expect(r?.maxError, `${backend} error`).toBeLessThan(1e-4);
      expect(r?.pass, `${backend} passes`).toBe(true);
    }
    // Chromium validates relaxed SIMD: both builds of the CNN kernel run, every case within bounds.
    const cnn = await page.evaluate(() => window.gtzanSelfCheck!.cnn!);
    expect(new Set(cnn.map((c) => c.flavour))).toEqual(new Set(['relaxed-simd', 'simd']));
    expect(cnn.length).toBeGreaterThanOrEqual(10);
    for (const c of cnn) expect(c.pass, `${c.flavour} ${c.model}: ${c.gradientError}`).toBe(true);
    expect(await page.getByRole('status').textContent()).toBe('All available backends pass.');
    expect(errors).toEqual([]);
  });
});
