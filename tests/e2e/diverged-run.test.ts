import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataJsonChunks } from '../../src/dataset/data-json';
import { syntheticFeatures } from '../fixtures/features';
import { labSession, setField } from '../support/lab-page';

/** A data.json of ±1e30 values: unstandardised, batch normalisation's moving variance overflows float32 at once. */
function hugeDataJson(): string {
  const set = syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 });
  for (const c of set.clips) for (const seg of c.segments) for (let i = 0; i < seg.length; i++) seg[i] = i % 2 ? 1e30 : -1e30;
  const path = join(mkdtempSync(join(tmpdir(), 'gtzan-huge-')), 'data.json');
  writeFileSync(path, [...dataJsonChunks(set)].join(''));
  return path;
}

describe('a run whose numbers stop being finite', () => {
  const lab = labSession();

  it('stops at that epoch, says it diverged in the result and on the activity line, keeps no model, and the Runs section marks it', async () => {
    const { page } = lab;
    await page.getByLabel('Open data.json').setInputFiles(hugeDataJson());
    await page.getByRole('combobox', { name: /^Preset/ }).selectOption('fast');
    await page.getByRole('checkbox', { name: /Standardise/ }).uncheck();
    await setField(page, 'Early stopping: epochs without a lower validation loss (0 = off)', '2');
    // As many epochs as the form allows: a diverged run must not go on to its last.
    await setField(page, 'Epochs', '10000');
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 60_000 }).toBe(true);
    await train.click();
    const said = /^Training diverged at epoch 1 of 10000: the weights held NaN or infinite values; no epoch before it had finite losses and weights, so no weights are kept\. No model was kept\. A lower learning rate, or standardised features, usually keeps the numbers finite\.$/;
    const alert = page.getByRole('alert').filter({ hasText: /diverged/ });
    await expect.poll(async () => ((await alert.count()) ? (await alert.first().textContent())!.trim() : ''), { timeout: 120_000 }).toMatch(said);
    await expect.poll(() => page.getByTestId('activity-line').textContent()).toMatch(/Nothing running\.\s*Training diverged at epoch 1 of 10000: the weights held NaN or infinite values/);
    expect((await page.getByTestId('chart-text').textContent())).toMatch(/Epoch 1\/10000/);
    expect(await page.getByRole('button', { name: 'Download model' }).isEnabled()).toBe(false);
    expect(await page.getByTestId('test-accuracy').count()).toBe(0);
    expect(await train.isEnabled()).toBe(true);
    await expect.poll(() => page.getByText('(diverged)').count()).toBeGreaterThan(0);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });
});
