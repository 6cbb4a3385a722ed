import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gtzanLikeTree } from '../fixtures/gtzan-tree';
import { chooseDataset, labSession, setField, waitForTestId } from '../support/lab-page';

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
const select = (page: Page, name: RegExp) => page.getByRole('combobox', { name });
const INTERVAL = (unit: string, clips: number | string) => `[\\d.]+ % per ${unit} \\(95 % interval [\\d.]+–[\\d.]+ %, ${clips} clips\\)`;
const BALANCED = 'balanced [\\d.]+ % \\(mean per-genre clip accuracy, 95 % interval [\\d.]+–[\\d.]+ %\\)';
const LEAK_BALANCED = 'balanced [\\d.]+ % \\(95 % interval [\\d.]+–[\\d.]+ %\\)';

describe('presets, early stopping, intervals, split warnings and the leak report in the page', () => {
  const lab = labSession();

  beforeAll(async () => {
    // Two genres, three clips of each fault-filtered list per genre, 6 s each (2 segments).
    await chooseDataset(lab.page, gtzanLikeTree(6).root);
  });

  it('the preset select fills every field, and a changed field makes the settings custom', async () => {
    const { page } = lab;
    const preset = select(page, /^Preset/);
    expect(await preset.inputValue()).toBe('recipe');
    await preset.selectOption('fast');
    expect(await select(page, /^Model/).inputValue()).toBe('conv1d');
    expect(await page.getByLabel('Epochs', { exact: true }).inputValue()).toBe('20');
    expect(await page.getByLabel(/^Early stopping/).inputValue()).toBe('5');
    expect(await page.getByRole('checkbox', { name: /Standardise/ }).isChecked()).toBe(true);
    expect(await select(page, /^Learning rate$/).inputValue()).toBe('0.001');
    expect(await text(page, 'preset-summary')).toMatch(/^a good model in under a minute/);
    await preset.selectOption('recipe');
    expect(await select(page, /^Model/).inputValue()).toBe('lstm');
    expect(await page.getByLabel('Epochs', { exact: true }).inputValue()).toBe('30');
    expect(await page.getByLabel(/^Early stopping/).inputValue()).toBe('0');
    expect(await page.getByRole('checkbox', { name: /Standardise/ }).isChecked()).toBe(false);
    expect(await select(page, /^Learning-rate schedule/).inputValue()).toBe('constant');
    // The split is not the preset's: changing it keeps the preset; changing the model's dropout does not.
    await setField(page, 'Dropout', '0.2');
    expect(await preset.inputValue()).toBe('custom');
  });

  it('a preset made for log-mel says so on MFCCs and extracts them on one click', async () => {
    const { page } = lab;
    await select(page, /^Preset/).selectOption('cnn');
    expect(await text(page, 'preset-features')).toMatch(/^The cnn preset trains on 64 log-mel bands; these features are 13 MFCCs/);
    await page.getByRole('button', { name: 'Extract 64 log-mel bands' }).click();
    await expect.poll(() => page.getByTestId('preset-features').count(), { timeout: 120_000 }).toBe(0);
    await page.getByTestId('extraction-summary').waitFor();
    expect(await select(page, /^Features/).inputValue()).toBe('logmel64');
    // The features made for the preset keep it.
    expect(await select(page, /^Preset/).inputValue()).toBe('cnn');
    expect(await select(page, /^Model/).inputValue()).toBe('cnn');
  });

  it('warns before training that 6 test clips say little, trains with early stopping, marks the best epoch and gives intervals', async () => {
    const { page } = lab;
    await setField(page, 'Epochs', '4');
    await setField(page, 'Early stopping: epochs without a lower validation loss (0 = off)', '1');
    await setField(page, 'Filters (first block; doubled in each next)', '4');
    expect(await text(page, 'split-sizes')).toMatch(/fault-filtered split: 6 train \/ 6 validation \/ 6 test clips/);
    expect(await text(page, 'split-warnings')).toMatch(/^Only 6 test clips: one clip moves the clip accuracy by 17 points/);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForTestId(page, 'test-accuracy', 240_000);
    expect(await text(page, 'test-accuracy')).toMatch(new RegExp(`^Test accuracy: ${INTERVAL('segment', 6)}, ${INTERVAL('clip', 6)}, ${BALANCED} \\(fault-filtered split`));
    expect(await text(page, 'best-epoch')).toMatch(/^The weights of epoch [1-4] of [1-4] \(the lowest validation loss; early stopping after 1 epochs without a lower one\)\.$/);
    expect(await text(page, 'chart-text')).toMatch(/Best epoch so far: [1-4] \(the lowest validation loss; its weights are kept\)\./);
    expect(await text(page, 'result-warnings')).toMatch(/^Only 6 test clips/);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });

  it('the leak report trains the settings on three splits and shows three bars and what the leaks added', async () => {
    const { page } = lab;
    await page.getByRole('button', { name: 'Run the leak report' }).click();
    await waitForTestId(page, 'leak-sentence', 420_000);
    const rows = await page.getByTestId('leak-table').locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(new RegExp(`^by segment ${INTERVAL('segment', '\\d+')}; ${INTERVAL('clip', '\\d+')}; ${LEAK_BALANCED}`)),
      expect.stringMatching(new RegExp(`^by clip ${INTERVAL('segment', '\\d+')}; ${INTERVAL('clip', '\\d+')}; ${LEAK_BALANCED}`)),
      expect.stringMatching(new RegExp(`^artist-disjoint \\(fault-filtered\\) ${INTERVAL('segment', 6)}; ${INTERVAL('clip', 6)}; ${LEAK_BALANCED}\\s*Only 6 test clips`)),
    ]);
    expect(await text(page, 'leak-sentence')).toMatch(/^by segment [\d.]+ %, by clip [\d.]+ %, artist-disjoint \(fault-filtered\) [\d.]+ % per segment: .+\.$/);
    const chart = page.locator('[data-chart="leak"]');
    expect(await chart.getAttribute('data-bars')).toBe('3');
    await expect.poll(() => chart.locator('canvas, svg').count()).toBeGreaterThan(0);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });
});
