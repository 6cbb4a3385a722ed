import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeTree, type Tree } from '../fixtures/dataset-tree';
import { launchChromium } from '../support/browser';
import { chooseDataset, openLab, setField } from '../support/lab-page';

describe('faults the lab survives', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('without IndexedDB (as in some private windows) it works in memory and says nothing will be kept', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
    const { page, errors } = await openLab(context, inject('baseUrl'));
    await expect.poll(() => page.getByText(/nothing will be kept after a reload/).count()).toBe(1);
    const tree = writeTree({ clipsPerGenre: 2, seconds: 6, extras: false });
    await chooseDataset(page, tree.dir);
    expect(await page.getByTestId('segment-total').textContent()).toBe('12');
    // Choosing it again in the same page comes from the in-memory cache.
    await page.getByLabel('Choose dataset folder').setInputFiles(tree.dir);
    await expect.poll(() => page.getByTestId('extraction-summary').textContent()).toMatch(/0 clips extracted, 6 from the cache/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('storage full: every clip is still extracted, kept in memory, and the page says so', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      let writes = 0;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.name === 'features' && ++writes > 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    const { page, errors } = await openLab(context, inject('baseUrl'));
    const tree = writeTree({ clipsPerGenre: 3, seconds: 6, extras: false });
    await chooseDataset(page, tree.dir);
    expect(await page.getByTestId('segment-total').textContent()).toBe('18');
    await expect.poll(() => page.getByText(/Storage failed \(QuotaExceededError: The quota has been exceeded\.\): features are kept in memory only/).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a reload in the middle of extraction keeps every clip already extracted', async () => {
    const tree = writeTree({ genres: ['a', 'b', 'c'], clipsPerGenre: 20, seconds: 30, extras: false });
    const context = await browser.newContext();
    const { page } = await openLab(context, `${inject('baseUrl')}?workers=1`);
    await page.getByLabel('Choose dataset folder').setInputFiles(tree.dir);
    const bar = page.getByRole('progressbar', { name: 'Feature extraction' });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(10);
    const doneBeforeReload = Number(await bar.getAttribute('aria-valuenow'));
    expect(doneBeforeReload).toBeLessThan(60);
    await page.reload();
    await chooseDataset(page, tree.dir, 120_000);
    const summary = (await page.getByTestId('extraction-summary').textContent())!.replace(/\s+/g, ' ');
    const m = summary.match(/(\d+) clips extracted, (\d+) from the cache, 0 failed/);
    expect(m, summary).not.toBeNull();
    const [extracted, cached] = [Number(m![1]), Number(m![2])];
    expect(extracted + cached).toBe(60);
    // Each clip is stored before it counts as done; allow one write cut off by the reload.
    expect(cached).toBeGreaterThanOrEqual(doneBeforeReload - 1);
    await context.close();
  });
});

describe('offline', () => {
  it('after the first load, the lab opens and extracts with the network gone', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const { page, errors } = await openLab(context, inject('baseUrl'));
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        // The worker claims the page once it has cached every file.
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        }
      });
      await context.setOffline(true);
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('GTZAN Lab');
      const tree = writeTree({ clipsPerGenre: 2, seconds: 6, extras: false });
      await chooseDataset(page, tree.dir);
      expect(await page.getByTestId('segment-total').textContent()).toBe('12');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

/** The epoch the chart names last ("Epoch 12/40: …"), 0 before the first. */
async function epochShown(page: Page): Promise<number> {
  const m = (await page.getByTestId('chart-text').textContent())?.match(/Epoch (\d+)\/\d+/);
  return m ? Number(m[1]) : 0;
}

describe('a reload in the middle of training', () => {
  let tree: Tree | undefined;
  // Every path a run can train on: the checkpoint the page keeps is the model of an epoch it had
  // shown, not one of a second or more before (epochs of these runs take well under a second).
  it.each([
    { path: 'the SIMD LSTM on one thread', model: 'lstm', threads: '1', fastLstm: true },
    { path: "tfjs's layers (the fast LSTM off)", model: 'lstm', threads: '1', fastLstm: false },
    { path: 'the 2-D CNN data-parallel on two threads', model: 'cnn', threads: '2', fastLstm: true },
  ])('keeps the model of an epoch shown just before the reload and offers it back: $path', async ({ model, threads, fastLstm }) => {
    const epochs = '200';
    const browser = await launchChromium();
    try {
      const { page, errors } = await openLab(browser, inject('baseUrl'));
      // 360 segments: epochs long enough (a few hundred ms) that one write to IndexedDB spans few of them.
      tree ??= writeTree({ clipsPerGenre: 12, seconds: 30, extras: false });
      await chooseDataset(page, tree.dir);
      await page.getByRole('combobox', { name: /^Model/ }).selectOption(model);
      await page.getByRole('combobox', { name: /^Backend/ }).selectOption('wasm');
      await setField(page, 'Epochs', epochs);
      if (model === 'lstm') await setField(page, 'LSTM units (each of 2 layers)', '8');
      else await setField(page, 'Filters (first block; doubled in each next)', '4');
      await page.getByLabel(/^Threads sharing each batch/).fill(threads);
      await page.getByLabel(/^Threads sharing each batch/).press('Tab');
      if (!fastLstm) await page.getByRole('checkbox', { name: /^Fast LSTM/ }).uncheck();
      await page.getByRole('button', { name: 'Train' }).click();
      await expect.poll(() => epochShown(page), { timeout: 120_000, interval: 20 }).toBeGreaterThanOrEqual(4);
      expect(await page.getByTestId('train-status').textContent()).toMatch(threads === '1' ? /one thread\./ : /2 threads sharing each batch\./);
      const shown = await epochShown(page);
      await page.reload();
      const offer = page.getByText(new RegExp(`A training run was interrupted; the model after epoch \\d+ of ${epochs} is kept`));
      await offer.waitFor({ timeout: 10_000 });
      const kept = Number((await offer.textContent())!.match(/epoch (\d+)/)![1]);
      // The page's last write may be cut off by the reload, and an epoch may end while it starts.
      expect(kept).toBeGreaterThanOrEqual(shown - 2);
      await page.getByRole('button', { name: 'Restore checkpoint' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(new RegExp(`Restored the model after epoch ${kept} of ${epochs}`));
      expect(await page.getByRole('button', { name: 'Download model' }).isEnabled()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('WebGL context loss during training', () => {
  it('stops with a message and keeps the features and the last completed epoch', async () => {
    const browser = await launchChromium();
    try {
      const { page, errors } = await openLab(browser, `${inject('baseUrl')}?debug`);
      const tree = writeTree({ clipsPerGenre: 4, seconds: 6, extras: false });
      await chooseDataset(page, tree.dir);
      await page.getByLabel('Backend').selectOption('webgl');
      for (const [label, value] of [['Epochs', '200'], ['LSTM units (each of 2 layers)', '8']]) await setField(page, label, value);
      await page.getByRole('button', { name: 'Train' }).click();
      await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 60_000 }).toMatch(/Backend: webgl/);
      await expect.poll(() => page.getByTestId('chart-text').textContent(), { timeout: 120_000 }).toMatch(/Epoch [2-9]\d*\/200/);
      await page.evaluate(() => (window as unknown as { gtzanLabDebug: { loseWebGLContext(): void } }).gtzanLabDebug.loseWebGLContext());
      await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 30_000 })
        .toMatch(/Training stopped: the WebGL context was lost .* Your features are kept, and so is the model after epoch \d+ \(Restore checkpoint\)\. Choose the WASM backend/);
      await page.getByRole('button', { name: 'Restore checkpoint' }).click();
      expect(await page.getByRole('button', { name: 'Download model' }).isEnabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Train' }).isEnabled()).toBe(true);
      expect(await page.getByTestId('segment-total').textContent()).toBe('24');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('a reload in the middle of tuning', () => {
  it('goes through at once, even where dialogs are dismissed: the page loads within 30 s, shows the finished trials and offers the rest', async () => {
    const browser = await launchChromium();
    try {
      const { page, errors } = await openLab(browser, inject('baseUrl'));
      // Some drivers (and people) dismiss every dialog: a "Leave site?" prompt then cancelled the reload.
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.type());
        void d.dismiss();
      });
      await chooseDataset(page, writeTree({ clipsPerGenre: 4, seconds: 3, extras: false }).dir);
      await setField(page, 'Trials', '20');
      await setField(page, 'Epochs per trial', '1');
      await setField(page, 'Largest units', '32');
      await page.getByRole('button', { name: 'Tune' }).click();
      const scored = page.getByTestId('trials').locator('tbody tr', { hasText: '%' });
      await expect.poll(() => scored.count(), { timeout: 120_000, interval: 50 }).toBeGreaterThanOrEqual(3);
      const before = await scored.count();
      await page.reload({ waitUntil: 'load', timeout: 30_000 });
      expect(dialogs).toEqual([]);
      await expect.poll(() => page.getByTestId('tuning-kept').textContent(), { timeout: 30_000 })
        .toMatch(/The last tuning search \(.*\) was interrupted \(the page was reloaded or closed while it ran\): \d+ of its 20 trials ended/);
      expect(await page.getByTestId('trials').locator('tbody tr', { hasText: '%' }).count()).toBeGreaterThanOrEqual(before);
      expect(await page.getByRole('button', { name: 'Use best' }).isEnabled()).toBe(true);
      // Nothing runs on after the reload: the old page's trials went with it.
      expect(await page.getByTestId('activity-line').textContent()).toMatch(/Nothing running/);
      await page.getByRole('button', { name: 'Restore last dataset' }).click();
      await expect(page.getByRole('button', { name: /Continue the last search \(\d+ trials left\)/ }).isEnabled({ timeout: 30_000 })).resolves.toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
