import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gtzanLikeTree } from '../fixtures/gtzan-tree';
import { chooseDataset, labSession, setField } from '../support/lab-page';

const select = (page: Page, name: RegExp) => page.getByRole('combobox', { name });
const form = async (page: Page) => ({
  preset: await select(page, /^Preset/).inputValue(),
  model: await select(page, /^Model/).inputValue(),
  split: await select(page, /^Split/).inputValue(),
  epochs: await page.getByLabel('Epochs', { exact: true }).inputValue(),
});
/** The type of the features the page holds now ("mfcc" or "logmel"), read from the page element. */
const featureType = (page: Page) => page.evaluate(() => {
  const f = (document.querySelector('gtzan-lab') as unknown as { features?: { settings: { featureType?: string } } }).features;
  return f ? f.settings.featureType ?? 'mfcc' : undefined;
});
/**
 * Waits until the page holds features of this type, then two frames more: the page applies its
 * defaults to the settings once the split code has loaded (already loaded by then), and the form redraws.
 */
async function featuresArrive(page: Page, type: string) {
  await expect.poll(() => featureType(page), { timeout: 120_000 }).toBe(type);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

describe('the training form keeps every choice the user made', () => {
  const lab = labSession();

  it('before any dataset the Split field says the GTZAN splits wait for a folder, not that "this dataset" lacks names', async () => {
    const { page } = lab;
    const note = (await page.getByTestId('gtzan-splits-off').innerText()).replace(/\s+/g, ' ');
    expect(note).toMatch(/they open when a folder named so is chosen/);
    expect(note).not.toMatch(/this dataset/);
  });

  it('restoring the last dataset keeps a preset and split chosen before it', async () => {
    const { page } = lab;
    await chooseDataset(page, gtzanLikeTree(6).root);
    await page.reload();
    await select(page, /^Preset/).selectOption('fast');
    await select(page, /^Split/).selectOption('segment');
    await page.getByRole('button', { name: 'Restore last dataset' }).click();
    await featuresArrive(page, 'mfcc');
    await expect.poll(() => page.getByTestId('split-sizes').innerText()).toMatch(/by-segment split/);
    expect(await form(page)).toEqual({ preset: 'fast', model: 'conv1d', split: 'segment', epochs: '20' });
  });

  it('the preset\'s own "Extract 13 MFCCs" keeps the Fast preset and the by-clip split chosen on log-mel features', async () => {
    const { page } = lab;
    await page.reload();
    await select(page, /^Features$/).selectOption({ label: 'Log-mel spectrogram, 64 bands' });
    await chooseDataset(page, gtzanLikeTree(6).root, 120_000);
    // Untouched settings follow the features: log-mel brings the cnn preset, GTZAN names its split.
    await expect.poll(() => select(page, /^Preset/).inputValue()).toBe('cnn');
    await select(page, /^Split/).selectOption('clip');
    await select(page, /^Preset/).selectOption('fast');
    await page.getByRole('button', { name: 'Extract 13 MFCCs' }).click();
    await featuresArrive(page, 'mfcc');
    await expect.poll(() => page.getByTestId('preset-features').count()).toBe(0);
    expect(await form(page)).toEqual({ preset: 'fast', model: 'conv1d', split: 'clip', epochs: '20' });
  });

  it('extracting other features through the Features field keeps fields set by hand and the split', async () => {
    const { page } = lab;
    await setField(page, 'Epochs', '3');
    await select(page, /^Split/).selectOption('segment');
    await select(page, /^Features$/).selectOption({ label: 'Log-mel spectrogram, 64 bands' });
    await featuresArrive(page, 'logmel');
    expect(await form(page)).toEqual({ preset: 'custom', model: 'conv1d', split: 'segment', epochs: '3' });
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });
});
