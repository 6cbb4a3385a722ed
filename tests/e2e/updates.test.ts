import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, synthClip } from '../fixtures/audio';
import { writeTree } from '../fixtures/dataset-tree';
import { launchChromium } from '../support/browser';
import { buildPage, DIST, editedCopy } from '../support/build-page';
import { chooseDataset, setField, waitForTestId } from '../support/lab-page';
import { serveStatic, type StaticServer } from '../support/static-server';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A page of the context, with every console error and uncaught error it shows. */
async function openTab(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(url);
  return { page, problems };
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent({ timeout: 30_000 });

/**
 * Deploys as a static host would: build A is served, pages open, then the folder is swapped for
 * build B (a JS change: new hashed file names) and then build C (B with only index.html changed:
 * its title and Content-Security-Policy).
 */
describe('a new version of the lab never breaks an open one', () => {
  let browser: Browser;
  let server: StaticServer;
  let distB: string;
  let distC: string;

  beforeAll(async () => {
    const jsEdit = (s: string) => s.replace('<h1>GTZAN Lab</h1>', '<h1>GTZAN Lab</h1><p data-testid="build-b">Build B</p>');
    const b = editedCopy({ 'src/ui/lab-app.ts': jsEdit });
    const c = editedCopy({
      'src/ui/lab-app.ts': jsEdit,
      'index.html': (s) => s.replace('<title>GTZAN Lab', '<title>GTZAN Lab C'),
      'vite.config.ts': (s) => s.replace(`"form-action 'none'",`, `"form-action 'none'",\n  "manifest-src 'self'",`),
    });
    distB = join(b, 'dist');
    distC = join(c, 'dist');
    await buildPage(b, distB);
    await buildPage(c, distC);
    server = await serveStatic(DIST);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the builds differ as intended: B by its scripts, C by its HTML only, and each sw.js by its contents', () => {
    const assets = (d: string) => readdirSync(join(d, 'assets')).sort();
    expect(assets(distB)).not.toEqual(assets(DIST));
    expect(assets(distC)).toEqual(assets(distB));
    expect(sha(join(distC, 'index.html'))).not.toBe(sha(join(distB, 'index.html')));
    expect(sha(join(distB, 'sw.js'))).not.toBe(sha(join(DIST, 'sw.js')));
    expect(sha(join(distC, 'sw.js'))).not.toBe(sha(join(distB, 'sw.js')));
  });

  it('reloads show a whole page, an open tab keeps training and classifying across two deploys, the update is offered and the new policy arrives', { timeout: 300_000 }, async () => {
    const context = await browser.newContext();
    const first = await openTab(context, server.url);
    const tab1 = first.page;
    await tab1.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      }
    });
    const second = await openTab(context, server.url);
    const tab2 = second.page;
    // Deploy B. A reload is a whole page (of the version the tab had), and the update is offered.
    // The deploy comes before tab 1 extracts: Chromium, driven by Playwright, can hold the first
    // update check after another tab's extraction for about three minutes (docs/reliability.md).
    server.setRoot(distB);
    await tab2.reload();
    expect(await heading(tab2)).toBe('GTZAN Lab');
    await tab2.getByTestId('update-banner').waitFor({ timeout: 45_000 });
    expect(await tab2.getByTestId('build-b').count()).toBe(0);

    // Tab 1, still version A, extracts with A's workers while B waits.
    const tree = writeTree({ clipsPerGenre: 4, seconds: 6, extras: false });
    await tab1.bringToFront();
    await chooseDataset(tab1, tree.dir);
    for (const [label, value] of [['Epochs', '3'], ['LSTM units (each of 2 layers)', '8']]) await setField(tab1, label, value);

    // Tab 1 trains; its reload button waits for the run. Tab 2 takes the new version meanwhile.
    await tab1.getByRole('button', { name: 'Train' }).click();
    await tab1.getByTestId('update-banner').waitFor({ timeout: 60_000 });
    expect(await tab1.getByRole('button', { name: 'Reload now' }).isDisabled()).toBe(true);
    await tab2.getByRole('button', { name: 'Reload now' }).click();
    await tab2.getByTestId('build-b').waitFor({ timeout: 30_000 });

    // Tab 1, still the old version, finishes its run and starts new workers from its own files.
    await waitForTestId(tab1, 'test-accuracy', 120_000);
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-update-'));
    writeFileSync(join(dir, 'clip.wav'), encodeWav({ samples: synthClip(1, 6, 22050, 5), sampleRate: 22050 }));
    await tab1.getByLabel('Choose a clip to classify').setInputFiles(join(dir, 'clip.wav'));
    await tab1.getByTestId('clip-probabilities').waitFor({ timeout: 60_000 });
    expect(await tab1.getByRole('button', { name: 'Reload now' }).isEnabled()).toBe(true);

    // Deploy C, whose only change is index.html: it reaches the returning visitor.
    server.setRoot(distC);
    await tab2.reload();
    await tab2.getByTestId('update-banner').waitFor({ timeout: 60_000 });
    await tab2.getByRole('button', { name: 'Reload now' }).click();
    await expect.poll(() => tab2.title(), { timeout: 30_000 }).toMatch(/^GTZAN Lab C/);
    const csp = await tab2.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("manifest-src 'self'");
    expect(await heading(tab2)).toBe('GTZAN Lab');

    // tab 1, still version A after two deploys, starts a new extraction worker from A's own
    // files: the service worker kept A's cache because tab 1 said it runs A.
    writeFileSync(join(dir, 'again.wav'), encodeWav({ samples: synthClip(2, 6, 22050, 9), sampleRate: 22050 }));
    await tab1.getByLabel('Choose a clip to classify').setInputFiles(join(dir, 'again.wav'));
    await expect.poll(() => tab1.getByTestId('classify-top').textContent(), { timeout: 60_000 }).toMatch(/^again\.wav: /);
    expect(await tab1.getByRole('alert').count()).toBe(0);

    expect(first.problems).toEqual([]);
    expect(second.problems).toEqual([]);
    await context.close();
  });
});
