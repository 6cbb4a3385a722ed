import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { encodeWav, synthClip } from '../fixtures/audio';
import { writeTree } from '../fixtures/dataset-tree';
import { chooseDataset, labSession, setField } from '../support/lab-page';

const runRows = (page: Page) => page.locator('runs-panel').locator('tbody tr');

/** The series each <line-chart> inside `host` draws: [name, number of points] each. */
function chartSeries(page: Page, testId: string): Promise<[string, number][][]> {
  return page.getByTestId(testId).evaluate((el) => [...el.querySelectorAll('line-chart')].map((c) =>
    (c as unknown as { series: { name: string; points: unknown[] }[] }).series.map((s) => [s.name, s.points.length] as [string, number])));
}

describe('runs kept and compared, genre over time', () => {
  const lab = labSession();

  it('keeps every run, across a reload; two chosen runs are overlaid; a deleted run stays deleted', async () => {
    const { page } = lab;
    await chooseDataset(page, writeTree({ clipsPerGenre: 4, seconds: 6, extras: false }).dir);
    await setField(page, 'Epochs', '2');
    await setField(page, 'LSTM units (each of 2 layers)', '8');
    for (const [i, lr] of ['0.01', '0.001'].entries()) {
      await page.getByLabel('Learning rate').selectOption(lr);
      await page.getByRole('button', { name: 'Train' }).click();
      await expect.poll(() => runRows(page).count(), { timeout: 120_000 }).toBe(i + 1);
    }
    // The clips behind the numbers: each count of the clip table lists exactly its clips.
    const table = page.getByTestId('clip-confusion');
    const cells = await table.getByRole('button').all();
    expect(cells.length).toBeGreaterThan(0);
    let listed = 0;
    for (const cell of cells) {
      const [, n, genre, predicted] = /^(\d+) (\w+) clips? predicted (\w+)$/.exec((await cell.getAttribute('aria-label'))!)!;
      await cell.click();
      await expect.poll(() => page.getByTestId('cell-heading').textContent()).toBe(`${genre} predicted as ${predicted}: ${n} clip${n === '1' ? '' : 's'}`);
      const paths = await page.getByTestId('cell-clips').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-clip')!));
      expect(paths).toHaveLength(Number(n));
      for (const p of paths) expect(p).toContain(`/${genre}/`);
      listed += paths.length;
    }
    // Every test clip is in exactly one cell: 3 genres × 1 test clip of 4.
    expect(listed).toBe(3);
    // Play from the list opens that clip in the inspector, playing.
    const row = page.getByTestId('cell-clips').locator('tbody tr').first();
    const path = (await row.getAttribute('data-clip'))!;
    await row.getByRole('button', { name: `Play ${path}` }).click();
    const inspector = page.getByTestId('inspector');
    await expect.poll(() => inspector.locator('h3').textContent()).toContain(path);
    await expect.poll(() => page.getByTestId('inspector-audio').evaluate((a: HTMLAudioElement) => !a.paused && a.currentTime > 0), { timeout: 20_000 }).toBe(true);
    await inspector.getByRole('button', { name: 'Close' }).click();
    await row.getByRole('button', { name: `Inspect ${path}` }).click();
    await expect.poll(async () => (await page.getByTestId('inspector-summary').textContent())?.replace(/\s+/g, ' '), { timeout: 30_000 }).toMatch(/cut into 2 segments/);
    expect(await page.getByTestId('inspector-audio').evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
    await inspector.getByRole('button', { name: 'Close' }).click();

    // The estimate line is gone once training has started and ended.
    expect(await page.getByText('Measuring training speed on this machine…').count()).toBe(0);
    expect(await runRows(page).first().innerText()).toMatch(/by-clip split: \d+ train \/ \d+ validation \/ \d+ test clips/);
    expect(await runRows(page).first().getByRole('textbox').inputValue()).toMatch(/lr 0\.001/);

    await page.reload();
    await expect.poll(() => runRows(page).count()).toBe(2);
    for (const box of await page.getByRole('checkbox', { name: /^Compare / }).all()) await box.check();
    const series = await chartSeries(page, 'run-comparison');
    expect(series).toHaveLength(2); // validation accuracy and validation loss
    for (const chart of series) expect(chart.map(([, points]) => points)).toEqual([2, 2]);
    // Drawn by vega as SVG: each chart's two lines, one per run.
    await expect.poll(() => page.getByTestId('run-comparison').locator('line-chart svg.marks').count()).toBe(2);
    // The lines come with the first data, a task after the view is embedded.
    await expect.poll(() => page.getByTestId('run-comparison').locator('line-chart').first().locator('path[d]')
      .evaluateAll((ps) => ps.filter((p) => /^M[^Z]*L/.test(p.getAttribute('d') ?? '') && p.closest('.mark-line')).length)).toBe(2);

    const leaky = runRows(page).filter({ has: page.getByRole('textbox', { name: /lr 0\.01,/ }) });
    await leaky.locator('summary').click();
    await leaky.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => runRows(page).count()).toBe(1);
    await page.reload();
    await expect.poll(() => runRows(page).count()).toBe(1);
    expect(await runRows(page).first().getByRole('textbox').inputValue()).toMatch(/lr 0\.001/);
    expect(lab.errors).toEqual([]);
  });

  it('a kept run\'s model classifies a clip, with a point per segment along the time axis', async () => {
    const { page } = lab;
    await runRows(page).first().locator('summary').click();
    await runRows(page).first().getByRole('button', { name: 'Classify with it' }).click();
    await expect.poll(() => page.getByTestId('classify-model').textContent()).toMatch(/Using the model of run “8 units, lr 0\.001/);
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-runs-'));
    writeFileSync(join(dir, 'clip.wav'), encodeWav({ samples: synthClip(1, 12, 22050, 5), sampleRate: 22050 }));
    await page.getByLabel('Choose a clip to classify').setInputFiles(join(dir, 'clip.wav'));
    await page.getByTestId('clip-probabilities').waitFor({ timeout: 60_000 });
    const [overTime] = await chartSeries(page, 'genre-over-time');
    expect(overTime.map(([name]) => name)).toEqual(['blues', 'classical', 'rock']);
    expect(overTime.map(([, points]) => points)).toEqual([4, 4, 4]);
    expect(lab.errors).toEqual([]);
  });
});
