import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromFiles } from '../../src/saving/artifacts';
import { parseMetadata } from '../../src/saving/metadata';
import { unzipModel } from '../../src/saving/model-zip';
import { chooseDataset, labSession, setField, waitForTestId } from '../support/lab-page';
import { writeTree } from '../fixtures/dataset-tree';

/** Visible text with whitespace collapsed, as a person reads it. */
async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The title and tick labels of the chart's x axis (the one titled "epoch" if any, else the first). */
async function epochAxis(page: Page, chart: string): Promise<{ title: string; ticks: string[] }> {
  return page.locator(`[data-chart="${chart}"] svg`).first().evaluate((svg) => {
    const axes = [...svg.querySelectorAll('g.role-axis')].map((a) => ({
      title: a.querySelector('.role-axis-title text')?.textContent ?? '',
      ticks: [...a.querySelectorAll('.role-axis-label text')].map((t) => t.textContent ?? ''),
    }));
    return axes.find((a) => a.title === 'epoch') ?? axes[0] ?? { title: '', ticks: [] };
  });
}

describe('training in the page', () => {
  const lab = labSession();

  beforeAll(async () => {
    const tree = writeTree({ clipsPerGenre: 4, extras: false });
    await chooseDataset(lab.page, tree.dir);
  });

  it('says how long an epoch will take before training starts', async () => {
    await setField(lab.page, 'LSTM units (each of 2 layers)', '8');
    await expect.poll(() => text(lab.page, 'estimate'), { timeout: 120_000 })
      .toMatch(/Expected: [\d.]+ s per batch of 32 on ((wasm|cpu) with the fast LSTM|webgl with tf.layers.lstm), measured on \d threads? → about .+ per epoch \(1 batches\)/);
    expect(await text(lab.page, 'backend')).toMatch(/Backend: (wasm|webgl|cpu)/);
  });

  it('trains 2 epochs with live curves, then reports test accuracy with its split', async () => {
    await setField(lab.page, 'Epochs', '2');
    await setField(lab.page, 'Batch size', '8');
    await lab.page.getByLabel('Learning rate').selectOption('0.01');
    await lab.page.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => lab.page.getByTestId('test-accuracy').count(), { timeout: 180_000 }).toBe(1);
    const accuracy = await text(lab.page, 'test-accuracy');
    expect(accuracy).toMatch(/Test accuracy: [\d.]+ % per segment \(95 % interval [\d.]+–[\d.]+ %, 3 clips\), [\d.]+ % per clip \(95 % interval [\d.]+–[\d.]+ %, 3 clips\), balanced [\d.]+ % \(mean per-genre clip accuracy, 95 % interval [\d.]+–[\d.]+ %\) \(by-clip split: \d+ train \/ \d+ validation \/ 3 test clips; 6 test segments\)/);
    // Three test clips: the result says how little they can tell.
    expect(await text(lab.page, 'result-warnings')).toMatch(/^Only 3 test clips: one clip moves the clip accuracy by 33 points/);
    // Both charts drew: vega put a canvas or an svg into each container.
    for (const chart of ['loss', 'accuracy', 'confusion', 'per-genre']) {
      await expect.poll(() => lab.page.locator(`[data-chart="${chart}"] canvas, [data-chart="${chart}"] svg`).count()).toBeGreaterThan(0);
    }
    expect(await text(lab.page, 'chart-text')).toMatch(/Epoch 2\/2: loss [\d.]+, accuracy [\d.]+ %, validation loss [\d.]+/);
    // The curves' x axis counts epochs, one tick for each.
    for (const chart of ['loss', 'accuracy']) {
      await expect.poll(() => epochAxis(lab.page, chart)).toEqual({ title: 'epoch', ticks: ['1', '2'] });
    }
    // Data-parallel on WASM or CPU: by default every core shares each batch (this page's worker and helpers).
    const cores = await lab.page.evaluate(() => navigator.hardwareConcurrency);
    const parallel = cores > 1 && /Backend: (wasm|cpu)/.test(await text(lab.page, 'backend'));
    expect(await text(lab.page, 'train-status')).toMatch(new RegExp(`Last epoch took [\\d.]+ s, [\\d.]+ samples/s, ${parallel ? `${Math.min(8, cores)} threads sharing each batch` : 'one thread'}\\.`));
    expect(await text(lab.page, 'per-genre')).toMatch(/blues/);
    await lab.page.getByText(/Model summary/).click();
    expect(await text(lab.page, 'model-summary')).toMatch(/LSTM.*LSTM.*Dense.*Dropout.*Dense/s);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });

  it('draws 30 epochs of 100 batches with the kept epoch marked at its epoch, each redraw cheap', async () => {
    const { page } = lab;
    const result = await page.evaluate(async () => {
      const batches = 100;
      const report = (e: number) => ({ epoch: e, epochs: 30, loss: 2 / e, accuracy: e / 31, valLoss: 2 / e + (e > 17 ? (e - 17) / 50 : 0), valAccuracy: e / 32, bestEpoch: Math.min(e, 17) });
      const batch = (i: number) => ({ epoch: Math.floor(i / batches) + 1, batch: (i % batches) + 1, batches, loss: 2 / (1 + i / batches), accuracy: i / 3100, x: i / batches });
      const charts = Object.assign(document.createElement('training-charts'), { markBest: true, batches: [] as unknown[], epochs: [] as unknown[] });
      charts.style.cssText = 'position:fixed;top:0;left:0;z-index:9;background:white';
      document.body.append(charts);
      type Chart = HTMLElement & { draws: number; lastDraw: number; longestDraw: number; drawnData(n: string): { x: number }[] };
      const loss = () => charts.querySelector('epoch-chart') as Chart;
      const drawn = async (before: number) => { while (loss().draws <= before) await new Promise((r) => setTimeout(r, 20)); };
      const long: number[] = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration); }).observe({ type: 'longtask' });
      const costs: number[] = [];
      for (let e = 1; e <= 30; e++) {
        const before = loss()?.draws ?? 0;
        Object.assign(charts, { batches: Array.from({ length: e * batches }, (_, i) => batch(i)), epochs: Array.from({ length: e }, (_, i) => report(i + 1)) });
        await charts.updateComplete;
        await drawn(before);
        if (e > 1) costs.push(loss().lastDraw);
      }
      // Where the dashed rule and the x axis's 17th tick are drawn, on screen.
      const left = (el: Element | null | undefined) => el?.getBoundingClientRect().left ?? Number.NaN;
      const svg = loss().shadowRoot!.querySelector('.plot svg')!;
      const ruleX = left(svg.querySelector('g.kept-rule line'));
      const xAxis = [...svg.querySelectorAll('g.role-axis')].find((a) => a.querySelector('.role-axis-title text')?.textContent === 'epoch');
      const tickX = left(xAxis?.querySelectorAll('.role-axis-tick line')[16]);
      const out = { first: loss().longestDraw, costs, long, kept: loss().drawnData('kept').map((k) => k.x), ruleX, tickX, batchRows: loss().drawnData('batches').length };
      charts.remove();
      return out;
    });
    const sorted = [...result.costs].sort((a, b) => a - b);
    console.log(`first draw (embed) ${result.first.toFixed(1)} ms; redraw at 2…30 epochs × 100 batches: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; long tasks ${result.long.map((d) => d.toFixed(0)).join(', ') || 'none'}`);
    expect(result.kept).toEqual([17]);
    expect(result.batchRows).toBeLessThanOrEqual(400);
    // The dashed rule stands on the axis's tick of epoch 17.
    expect(Number.isFinite(result.ruleX)).toBe(true);
    expect(Math.abs(result.ruleX - result.tickX)).toBeLessThan(1.5);
    expect(Math.max(...result.costs)).toBeLessThan(250);
  });

  it('runs the deletion check on the model\'s test split in the explain worker and shows its three accuracies', async () => {
    const { page } = lab;
    await page.getByRole('button', { name: 'Run the deletion check' }).click();
    await waitForTestId(page, 'deletion-check', 180_000);
    const table = page.getByTestId('deletion-check');
    const read = async (name: string) => Number(await table.getAttribute(`data-${name}`));
    const [accuracy, explained, random] = [await read('accuracy'), await read('explained'), await read('random')];
    for (const v of [accuracy, explained, random]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(await read('clips')).toBe(3);
    expect(await read('segments')).toBe(6);
    expect(await text(page, 'deletion-check')).toMatch(/^Test split \(by clip \(no clip on two sides\)\): 3 clips, 6 segments; \d+ of \d+ regions removed from each/);
    // Each genre of these clips is its own band of partials: the regions the explanation marks are those the model needs.
    expect(explained).toBeLessThanOrEqual(random);
    expect(await text(page, 'deletion-check-verdict')).toMatch(/^Removing the marked regions costs -?[\d.]+ points; removing random ones costs -?[\d.]+ points\./);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });

  it('downloads a zip whose model.json + weights.bin tf.loadLayersModel loads in Node', async () => {
    const download = lab.page.waitForEvent('download');
    await lab.page.getByRole('button', { name: 'Download model' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^gtzan-model-.*\.zip$/);
    const unzipped = unzipModel(new Uint8Array(readFileSync((await file.path())!)));
    const meta = parseMetadata(unzipped.metadata);
    expect(meta.genres).toEqual(['blues', 'classical', 'rock']);
    expect(meta.split.mode).toBe('clip');
    expect(meta.inputShape).toEqual([130, 13]);
    await tf.setBackend('cpu');
    const model = await modelFromFiles(unzipped.modelJson, unzipped.weights);
    const out = model.predict(tf.zeros([1, 130, 13])) as tf.Tensor;
    expect(out.shape).toEqual([1, 3]);
    expect((await out.sum().data())[0]).toBeCloseTo(1, 4);
    model.dispose();
  });

  it('keeps the trained model across a reload', async () => {
    await lab.page.reload();
    await lab.page.getByRole('button', { name: 'Restore model' }).click();
    await expect.poll(() => lab.page.getByTestId('test-accuracy').count()).toBe(1);
    expect(await lab.page.getByRole('button', { name: 'Download model' }).isEnabled()).toBe(true);
  });

  it('trains the 2-D CNN chosen in the Model select on every core, named in its run', async () => {
    const { page } = lab;
    await page.getByRole('button', { name: 'Restore last dataset' }).click();
    await page.getByRole('combobox', { name: /^Model/ }).selectOption('cnn');
    // The CNN has filters, not LSTM units, and no fused LSTM to choose (no greyed-out box either).
    expect(await page.getByLabel('LSTM units (each of 2 layers)').count()).toBe(0);
    expect(await page.getByLabel(/Fast LSTM/).count()).toBe(0);
    await setField(page, 'Filters (first block; doubled in each next)', '4');
    await setField(page, 'Epochs', '2');
    await expect.poll(() => text(page, 'estimate'), { timeout: 120_000 }).toMatch(/per batch of \d+ on \w+ for the 2-D CNN/);
    await page.getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => text(page, 'test-accuracy'), { timeout: 180_000 }).toMatch(/Test accuracy: [\d.]+ % per segment/);
    // The CNN trains on every core too: the WebAssembly kernel in this worker and its helpers.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const parallel = cores > 1 && /Backend: (wasm|cpu)/.test(await text(page, 'backend'));
    expect(await text(page, 'train-status')).toMatch(parallel ? `${Math.min(8, cores)} threads sharing each batch` : 'one thread');
    await page.getByText(/Model summary/).click();
    expect(await text(page, 'model-summary')).toMatch(/Reshape.*Conv2D.*BatchNormalization.*MaxPooling2D.*GlobalAveragePooling2D.*Dense/s);
    await expect.poll(() => page.locator('runs-panel').locator('tbody tr').first().getByRole('textbox').inputValue()).toMatch(/^2-D CNN, 4 filters/);
    expect(lab.errors, lab.errors.join('\n')).toEqual([]);
  });
});
