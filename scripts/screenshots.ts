/**
 * npm run screenshots — builds the lab, drives it in headless Chromium as a person would (choose a
 * generated dataset, open a clip, train twice, tune, classify a clip, compare the runs) and writes
 * the README's pictures to docs/: the page as it opens, one per step, and the clip inspector.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { encodeWav, synthClip } from '../tests/fixtures/audio';
import { writeTree } from '../tests/fixtures/dataset-tree';
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST, ROOT } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';

await buildPage();
const server = await serveStatic(DIST);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(server.url);

const field = async (label: string, value: string) => {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Tab');
};
/** Goes to a step through the navigation and waits for its charts (they draw only when on screen). */
const step = async (p: Page, n: number, name: string) => {
  await p.getByRole('navigation', { name: 'Steps' }).getByRole('link').nth(n - 1).click();
  await p.waitForTimeout(1500);
  await p.locator(`#step-${name}`).screenshot({ path: join(ROOT, `docs/step-${name}.png`) });
};

await page.screenshot({ path: join(ROOT, 'docs/lab.png') });
await page.getByLabel('Choose dataset folder').setInputFiles(writeTree({ genres: ['blues', 'classical', 'rock'], clipsPerGenre: 6, seconds: 30, extras: false }).dir);
await page.getByTestId('extraction-summary').waitFor({ timeout: 120_000 });
await page.locator('details[data-genre="classical"] > summary').click();
await page.getByRole('button', { name: 'Inspect classical.00002.wav' }).click();
await page.getByTestId('inspector-summary').waitFor({ timeout: 60_000 });
await page.getByTestId('inspector').screenshot({ path: join(ROOT, 'docs/inspector.png') });
await field('Epochs', '12');
await field('LSTM units (each of 2 layers)', '16');
for (const [i, lr] of ['0.01', '0.001'].entries()) {
  await page.getByLabel('Learning rate').selectOption(lr);
  await page.getByRole('button', { name: 'Train' }).click();
  await page.locator('runs-panel tbody tr').nth(i).waitFor({ timeout: 300_000 });
}
await field('Trials', '4');
await field('Epochs per trial', '2');
await page.getByRole('button', { name: 'Tune' }).click();
await page.getByTestId('trials').locator('tbody tr').nth(3).waitFor({ timeout: 300_000 });
await page.getByRole('button', { name: 'Use best' }).waitFor({ timeout: 300_000 });
const clips = mkdtempSync(join(tmpdir(), 'gtzan-shots-'));
writeFileSync(join(clips, 'new rock clip.wav'), encodeWav({ samples: synthClip(2, 30, 22050, 99), sampleRate: 22050 }));
await page.getByLabel('Choose a clip to classify').setInputFiles(join(clips, 'new rock clip.wav'));
await page.getByTestId('clip-probabilities').waitFor({ timeout: 60_000 });
for (const box of await page.getByRole('checkbox', { name: /^Compare / }).all()) await box.check();
for (const [n, name] of ['features', 'train', 'tune', 'classify', 'runs'].entries()) await step(page, n + 1, name);
await browser.close();
await server.close();
console.log('wrote docs/lab.png, docs/inspector.png and docs/step-{features,train,tune,classify,runs}.png');
