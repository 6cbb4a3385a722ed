/**
 * npm run screenshots — builds the lab, drives it in headless Chromium as a person would (choose a
 * generated dataset, open a clip, train twice, compare the runs) and writes the README's pictures
 * to docs/: the clip inspector and the run comparison.
 */
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST, ROOT } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';
import { writeTree } from '../tests/fixtures/dataset-tree';
import { join } from 'node:path';

await buildPage();
const server = await serveStatic(DIST);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
await page.goto(server.url);
await page.getByLabel('Choose dataset folder').setInputFiles(writeTree({ genres: ['blues', 'classical', 'rock'], clipsPerGenre: 4, seconds: 30, extras: false }).dir);
await page.getByTestId('extraction-summary').waitFor({ timeout: 120_000 });
await page.locator('details[data-genre="classical"] > summary').click();
await page.getByRole('button', { name: 'Inspect classical.00002.wav' }).click();
await page.getByTestId('inspector-summary').waitFor({ timeout: 60_000 });
await page.getByTestId('inspector').screenshot({ path: join(ROOT, 'docs/inspector.png') });
for (const [label, value] of [['Epochs', '4'], ['LSTM units (each of 2 layers)', '16']]) {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Tab');
}
for (const [i, lr] of ['0.01', '0.001'].entries()) {
  await page.getByLabel('Learning rate').selectOption(lr);
  await page.getByRole('button', { name: 'Train' }).click();
  await page.locator('runs-panel tbody tr').nth(i).waitFor({ timeout: 300_000 });
}
for (const box of await page.getByRole('checkbox', { name: /^Compare / }).all()) await box.check();
await page.locator('runs-panel').screenshot({ path: join(ROOT, 'docs/runs.png') });
await page.screenshot({ path: join(ROOT, 'docs/lab.png'), fullPage: true });
await browser.close();
await server.close();
console.log('wrote docs/inspector.png, docs/runs.png, docs/lab.png');
