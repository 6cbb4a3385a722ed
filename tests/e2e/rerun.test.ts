import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeTree } from '../fixtures/dataset-tree';
import { chooseDataset, labSession, setField, waitForTestId } from '../support/lab-page';

const runRows = (page: Page) => page.locator('runs-panel').locator('tbody tr');

describe('re-running a kept run', () => {
  const lab = labSession();

  it('trains it again from its settings and seed and says the weights are the same, bit for bit; refuses other features', async () => {
    const { page, errors } = lab;
    await chooseDataset(page, writeTree({ clipsPerGenre: 4, seconds: 6, extras: false }).dir);
    await setField(page, 'Epochs', '2');
    await setField(page, 'LSTM units (each of 2 layers)', '8');
    await setField(page, 'Seed', '77');
    await page.getByLabel('Learning rate').selectOption('0.01');
    await page.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => runRows(page).count(), { timeout: 120_000 }).toBe(1);

    // The form changed since: the re-run takes the run's own settings, not the form's.
    await setField(page, 'Seed', '5');
    await setField(page, 'Epochs', '3');
    const first = runRows(page).first();
    await first.getByText('Actions').click();
    await first.getByRole('button', { name: 'Re-run and compare' }).click();
    await waitForTestId(page, 'rerun-result', 120_000);
    expect(await page.getByTestId('rerun-result').textContent()).toMatch(/^Re-run of “.+”: the same weights, bit for bit\.$/);
    await expect.poll(() => runRows(page).count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('run-rerun').textContent()).toMatch(/: the same weights, bit for bit$/);
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).toBe('77');

    // Other features (another dataset): refused before any training, saying why.
    await chooseDataset(page, writeTree({ clipsPerGenre: 5, seconds: 6, extras: false }).dir);
    const original = runRows(page).last();
    await original.getByText('Actions').click();
    await original.getByRole('button', { name: 'Re-run and compare' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(/cannot be re-run on these features: they are not the ones it trained on/));
    expect(await runRows(page).count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
