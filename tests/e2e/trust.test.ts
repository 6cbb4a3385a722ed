import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeWav, synthClip } from '../fixtures/audio';
import { writeTree } from '../fixtures/dataset-tree';
import { launchChromium } from '../support/browser';
import { chooseDataset, openLab } from '../support/lab-page';

const require = createRequire(import.meta.url);

/** The focused element (looking through shadow roots), named as a screen reader would: label first. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement as Element | null;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return '';
    const label = (el as HTMLInputElement).labels?.[0]?.innerText.trim();
    return el.getAttribute('aria-label') || label || (el as HTMLElement).innerText?.trim() || el.tagName;
  });
}

describe('a whole session stays on the machine and is usable by everyone', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true });
    context.on('request', (r) => requests.push(r.url()));
    ({ page, errors } = await openLab(context, inject('baseUrl')));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('open, choose a dataset, extract, train, evaluate, download, classify: no request to another origin', async () => {
    const tree = writeTree({ clipsPerGenre: 4, seconds: 6, extras: false });
    await chooseDataset(page, tree.dir);
    const epochs = page.getByLabel('Epochs', { exact: true });
    await epochs.fill('1');
    await epochs.press('Tab');
    const units = page.getByLabel('LSTM units (each of 2 layers)');
    await units.fill('8');
    await units.press('Tab');
    await page.getByRole('button', { name: 'Train' }).click();
    await page.getByTestId('test-accuracy').waitFor({ timeout: 120_000 });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download model' }).click();
    await download;
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-trust-'));
    writeFileSync(join(dir, 'clip.wav'), encodeWav({ samples: synthClip(1, 6, 22050, 5), sampleRate: 22050 }));
    await page.getByLabel('Choose a clip to classify').setInputFiles(join(dir, 'clip.wav'));
    await page.getByTestId('clip-probabilities').waitFor({ timeout: 60_000 });

    const origin = new URL(inject('baseUrl')).origin;
    const foreign = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
    // The session did load the page's own files, workers and WASM: the recording works.
    expect(requests.some((u) => u.endsWith('.wasm'))).toBe(true);
    expect(requests.some((u) => /train\.worker/.test(u))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('carries a Content-Security-Policy that blocks any connection to another origin', async () => {
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'self'");
    const before = requests.length;
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const fetched = await fetch('https://example.com/upload', { method: 'POST', body: 'audio' }).then(() => 'sent', () => 'blocked');
      await new Promise((r) => setTimeout(r, 100));
      return { fetched, violations };
    });
    expect(outcome.fetched).toBe('blocked');
    expect(outcome.violations).toContain('connect-src');
    expect(requests.slice(before).filter((u) => u.includes('example.com'))).toEqual([]);
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    // Through DevTools, not a <script> tag: the page's own policy rightly refuses inline scripts.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
  });

  it('reaches the main controls with the keyboard alone', async () => {
    await page.reload();
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      seen.add(await focusedName(page));
    }
    for (const name of ['Choose dataset folder', 'Open data.json', 'Epochs', 'Load model files']) {
      expect([...seen].some((s) => s.includes(name)), `${name} in ${[...seen].join(' | ')}`).toBe(true);
    }
  });
});
