/**
 * A newcomer's hour with a partial GTZAN folder of 10 genres: the split the page chooses and why,
 * balanced accuracy beside the plain one, runs ranked within their split, a
 * clip of the training set named so in Classify, tuning's best after Stop, and a page that fits
 * 800 px with 10 genres and 5 runs.
 */
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { GTZAN_GENRES } from '../../src/dataset/gtzan';
import { writeTree } from '../fixtures/dataset-tree';
import { chooseDataset, labSession, setField, waitForTestId } from '../support/lab-page';

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
const select = (page: Page, name: RegExp) => page.getByRole('combobox', { name });
const runRows = (page: Page) => page.locator('runs-panel').locator('tbody tr');

async function train(page: Page, runs: number) {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => runRows(page).count(), { timeout: 180_000 }).toBe(runs);
}

/**
 * Elements (through shadow roots) whose right edge passes the window's, by tag and test id, with
 * every disclosure opened first (a closed one's content is what a click shows); and the page's own overflow.
 */
function overflow(page: Page) {
  return page.evaluate(() => {
    const wide: string[] = [];
    const open = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el instanceof HTMLDetailsElement && !el.classList.contains('menu')) el.open = true;
        if (el.shadowRoot) open(el.shadowRoot);
      }
    };
    open(document);
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > window.innerWidth + 1) wide.push(`${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} ${Math.round(r.right)}`);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return { scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth, wide: wide.filter((w) => !/^(thead|tbody|tr|th|td) /.test(w)).slice(0, 16) };
  });
}

/** What a width must hold: Actions on one line, every run name whole, the Split select's chosen option whole. */
function cutText(page: Page) {
  return page.evaluate(() => {
    const runs = document.querySelector('gtzan-lab')!.shadowRoot!.querySelector('runs-panel')!.shadowRoot!;
    const out: string[] = [];
    for (const s of runs.querySelectorAll('summary')) {
      const line = parseFloat(getComputedStyle(s).lineHeight) || 20;
      if (s.getBoundingClientRect().height > 1.7 * line + 16) out.push(`Actions on two lines: ${s.getBoundingClientRect().height}`);
    }
    for (const t of runs.querySelectorAll('textarea')) {
      if (t.scrollHeight > t.clientHeight + 1 || t.scrollWidth > t.clientWidth + 1) out.push(`run name cut: ${t.value}`);
    }
    const form = document.querySelector('gtzan-lab')!.shadowRoot!.querySelector('training-panel')!.shadowRoot!.querySelector('training-form')!.shadowRoot!;
    const split = form.querySelector<HTMLSelectElement>('select[name="split"]')!;
    const probe = document.createElement('span');
    probe.style.font = getComputedStyle(split).font;
    probe.style.whiteSpace = 'nowrap';
    probe.textContent = [...split.options].reduce((a, o) => (o.text.length > a.length ? o.text : a), '');
    document.body.append(probe);
    // The select's arrow and padding take about 2.5 em beside the text.
    if (probe.getBoundingClientRect().width + 28 > split.getBoundingClientRect().width) out.push(`Split select cut: ${probe.getBoundingClientRect().width} in ${split.getBoundingClientRect().width}`);
    probe.remove();
    return out;
  });
}

describe('a newcomer with a partial GTZAN folder of 10 genres', () => {
  const lab = labSession();
  const tree = writeTree({ genres: [...GTZAN_GENRES], clipsPerGenre: 4, seconds: 6, extras: false });

  it('chooses the split that trains and tests every genre, saying why', async () => {
    const { page } = lab;
    await chooseDataset(page, tree.dir, 180_000);
    await expect.poll(() => text(page, 'split-reason')).toMatch(/^Split chosen: by clip, the one that trains and tests every genre of these clips \(the fault-filtered split/);
    expect(await select(page, /^Split/).inputValue()).toBe('clip');
    expect(await page.getByTestId('gtzan-splits-off').count()).toBe(0);
  });

  it('trains: balanced accuracy beside the plain one, the confusion legend in words, no Fast LSTM box for a CNN', async () => {
    const { page } = lab;
    await select(page, /^Preset/).selectOption('fast');
    expect(await page.getByRole('checkbox', { name: /Fast LSTM/ }).count()).toBe(0);
    await setField(page, 'Epochs', '3');
    await setField(page, 'Filters (first block; doubled in each next)', '4');
    await setField(page, 'Early stopping: epochs without a lower validation loss (0 = off)', '1');
    await train(page, 1);
    await waitForTestId(page, 'test-accuracy', 60_000);
    expect(await text(page, 'test-accuracy')).toMatch(/per clip \(95 % interval [\d.]+–[\d.]+ %, 10 clips\), balanced [\d.]+ % \(mean per-genre clip accuracy, 95 % interval [\d.]+–[\d.]+ %\)/);
    await expect.poll(() => page.locator('[data-chart="confusion"] svg text').allTextContents(), { timeout: 30_000 }).toContain('test segments');
    expect((await page.locator('[data-chart="confusion"] svg text').allTextContents()).join(' ')).not.toMatch(/scaleCount/);
  });

  it('Classify says a clip of the training set was in it', async () => {
    const { page } = lab;
    const trained = await page.evaluate(() => (document.querySelector('gtzan-lab') as unknown as { model: { metadata: { split: { trainClipNames: string[] } } } })
      .model.metadata.split.trainClipNames[0]);
    const genre = basename(trained).split('.')[0];
    await page.getByLabel('Choose a clip to classify').setInputFiles(join(tree.dir, genre, basename(trained)));
    await waitForTestId(page, 'classify-seen', 60_000);
    expect(await text(page, 'classify-seen')).toBe(`A clip named ${basename(trained)} was in this model's training set: the model learned from it, so this answer says nothing of how it does on music it has not heard.`);
  });

  it('ranks runs only among runs on the same split', async () => {
    const { page } = lab;
    await select(page, /^Learning rate$/).selectOption('0.01');
    await train(page, 2);
    await select(page, /^Split/).selectOption('segment');
    await train(page, 3);
    const ranks = await page.locator('runs-panel').getByTestId('run-rank').allTextContents();
    const splits = await runRows(page).evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[2].textContent!.trim()));
    ranks.forEach((rank, i) => {
      if (splits[i].startsWith('by-segment')) expect(rank.trim()).toBe('only run on its split');
      else expect(rank.trim()).toMatch(/^[12] of 2$/);
    });
    expect(await page.locator('runs-panel').getByTestId('run-balanced').count()).toBe(3);
  });

  it('the leak report repeats each split\'s warnings, compares only splits that hold the same genres, and draws a readable chart', async () => {
    const { page } = lab;
    await page.getByRole('button', { name: 'Run the leak report' }).click();
    await waitForTestId(page, 'leak-sentence', 300_000);
    const rows = (await page.getByTestId('leak-table').locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    expect(rows.map((r) => r.split(' ')[0])).toEqual(['by', 'by', 'artist-disjoint']);
    for (const r of rows) expect(r).toMatch(/; balanced [\d.]+ % \(95 % interval [\d.]+–[\d.]+ %\)/);
    // The held-out splits' rows repeat the split preview's warnings (10 test clips by clip; fewer, or genres missing, by artist).
    expect(rows[1]).toMatch(/Only 10 test clips: one clip moves the clip accuracy by 10 points/);
    // On these 40 clips the artist-disjoint split leaves genres out of training or test: no difference is claimed.
    expect(rows[2]).toMatch(/No test clip of|No training clip of/);
    const sentence = await text(page, 'leak-sentence');
    expect(sentence).toMatch(/by clip and artist-disjoint \((fault-filtered|by artist)\) are not compared: their sides hold different genres \(by clip: every genre on both sides; /);
    expect(sentence).not.toMatch(/memory of artists/);
    // The plot, not only the picture, is tall: the tallest bar (tfjs-vis's #4C78A0) stands over 60 px;
    // long names standing under the bars once left the plot 27 px.
    const canvas = page.locator('[data-chart="leak"] canvas').first();
    await canvas.waitFor();
    await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => {
      const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let tallest = 0;
      for (let x = 0; x < width; x++) {
        let n = 0;
        for (let y = 0; y < height; y++) {
          const i = 4 * (y * width + x);
          if (Math.abs(data[i] - 76) < 12 && Math.abs(data[i + 1] - 120) < 12 && Math.abs(data[i + 2] - 160) < 12) n++;
        }
        tallest = Math.max(tallest, n);
      }
      return tallest / (c.width / c.getBoundingClientRect().width);
    }), { timeout: 20_000 }).toBeGreaterThan(60);
  });

  it('fits 800 px and 1280 px with 10 genres and 5 runs: no sideways scroll, nothing cut', async () => {
    const { page } = lab;
    await select(page, /^Split/).selectOption('clip');
    await setField(page, 'Seed', '7');
    await train(page, 4);
    await setField(page, 'Seed', '8');
    await train(page, 5);
    for (const width of [800, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const o = await overflow(page);
      expect(o, `at ${width} px: ${o.wide.join(', ')}`).toEqual({ scroll: 0, wide: [] });
      expect(await cutText(page), `at ${width} px`).toEqual([]);
    }
  });

  it('after Stop, tuning names the best finished-or-stopped trial and marks stopped ones', async () => {
    const { page } = lab;
    await setField(page, 'Early stopping: epochs without a lower validation loss (0 = off)', '1000');
    for (const box of await page.locator('input[name="tune-model"]').all()) if ((await box.getAttribute('value')) !== 'conv1d') await box.uncheck();
    await setField(page, 'Trials', '2');
    await setField(page, 'Epochs per trial', '1000');
    await setField(page, 'Largest units', '32');
    await page.getByRole('button', { name: 'Tune' }).click();
    await expect.poll(() => text(page, 'tuning-status'), { timeout: 120_000 }).toMatch(/epoch ([3-9]|\d\d+) of 1000/);
    await page.locator('tuning-panel').getByRole('button', { name: 'Stop tuning' }).click();
    await expect.poll(() => text(page, 'tuning-status'), { timeout: 60_000 }).toMatch(/^Best: trial \d, validation accuracy [\d.]+ %\.$/);
    const rows = await page.getByTestId('trials').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      n: Number(tr.querySelector('th')!.textContent!.match(/\d+/)![0]), cells: tr.textContent!.replace(/\s+/g, ' '),
    })));
    const scored = rows.map((r) => ({ ...r, acc: Number(r.cells.match(/([\d.]+) %/)?.[1] ?? NaN) })).filter((r) => !Number.isNaN(r.acc));
    expect(rows.some((r) => r.cells.includes('(stopped)'))).toBe(true);
    const top = Math.max(...scored.map((r) => r.acc));
    const [, best, shown] = (await text(page, 'tuning-status')).match(/trial (\d), validation accuracy ([\d.]+) %/)!;
    expect(Number(shown)).toBe(top);
    expect(scored.find((r) => r.n === Number(best))!.acc).toBe(top);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });
});
