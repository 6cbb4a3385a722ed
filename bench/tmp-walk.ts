import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../tests/support/browser';
import { buildPage, DIST } from '../tests/support/build-page';
import { serveStatic } from '../tests/support/static-server';
import { writeTree } from '../tests/fixtures/dataset-tree';

const log = (...a: unknown[]) => console.log('WALK', ...a);
buildPage();
const server = await serveStatic(DIST);
const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
const page = await ctx.newPage();
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(e.message));
await page.goto(server.url);
// Odd names: a genre with an emoji and a zero-width space, a clip with quotes and spaces; a 0-byte wav; a tiny 0.5 s clip.
const tree = writeTree({ genres: ['blues', 'classical', 'rock'], clipsPerGenre: 3, seconds: 9, extras: false });
renameSync(join(tree.dir, 'rock'), join(tree.dir, 'ro\u200bck 🎸'));
renameSync(join(tree.dir, 'blues/blues.00000.wav'), join(tree.dir, 'blues/"odd" name #1.wav'));
writeFileSync(join(tree.dir, 'classical/empty.wav'), new Uint8Array(0));
await page.getByRole('combobox', { name: 'Features' }).selectOption('logmel64');
await page.getByLabel('Choose dataset folder').setInputFiles(tree.dir);
// Careless: try switching features mid-extraction (the select should be disabled).
log('select disabled during extraction:', await page.getByRole('combobox', { name: 'Features' }).isDisabled());
await page.getByTestId('extraction-summary').waitFor({ timeout: 120_000 });
log('summary:', (await page.getByTestId('extraction-summary').innerText()).replace(/\s+/g, ' ').slice(0, 300));
log('errors listed:', (await page.locator('dataset-summary').innerText()).match(/empty\.wav[^\n]*/)?.[0]);
log('model select:', await page.getByRole('combobox', { name: /^Model/ }).inputValue());
// Careless: 50 threads typed into a field whose max is the core count.
const threads = page.getByLabel(/^Threads sharing each batch/);
await page.getByRole('combobox', { name: /^Model/ }).selectOption('lstm');
await threads.fill('50'); await threads.press('Tab');
for (const [label, v] of [['Epochs', '3'], ['LSTM units (each of 2 layers)', '8'], ['Time masks: widest, frames (training batches; 0 = off)', '10'], ['Time shift: most frames either way (0 = off)', '20']]) {
  const f = page.getByLabel(label, { exact: true }); await f.fill(v); await f.press('Tab');
}
await page.getByRole('button', { name: 'Train' }).click();
await page.getByTestId('test-accuracy').waitFor({ timeout: 180_000 });
log('status:', (await page.getByTestId('train-status').innerText()).replace(/\s+/g, ' '));
log('accuracy:', (await page.getByTestId('test-accuracy').innerText()).replace(/\s+/g, ' '));
log('run name:', await page.locator('runs-panel tbody tr input').first().inputValue());
// Second tab trains while the first reloads mid-training.
const tab2 = await ctx.newPage();
tab2.on('pageerror', (e) => errors.push(`tab2: ${e.message}`));
await tab2.goto(server.url);
log('tab2 features choice kept:', await tab2.getByRole('combobox', { name: 'Features' }).inputValue());
await tab2.getByRole('button', { name: 'Restore last dataset' }).click();
await tab2.getByTestId('segment-total').waitFor();
const e2 = tab2.getByLabel('Epochs', { exact: true }); await e2.fill('200'); await e2.press('Tab');
await tab2.getByRole('button', { name: 'Train' }).click();
await tab2.getByTestId('train-status').waitFor({ timeout: 60_000 });
await page.waitForTimeout(3000);
await tab2.reload();
await tab2.waitForTimeout(3000);
log('tab2 after reload offers:', (await tab2.locator('kept-models').innerText()).replace(/\s+/g, ' ').slice(0, 200));
await page.screenshot({ path: '/tmp/walk/lab.png', fullPage: true });
log('page errors:', JSON.stringify(errors));
await browser.close();
await server.close();
