/**
 * What comes from outside and could break the page, each replayed in it: genre names that are
 * JavaScript's own property names, short or inconsistent .npz and data.json files, models with
 * NaN weights or billions of weights, the Python recipe's data.json, markup in self-check.html's
 * URL, a thousand genres; and the page idle with a dataset loaded, and a reload during tuning.
 * The zip readers outside the page are held by tests/unit/python/hostile-zips.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { dataJsonChunks } from '../../src/dataset/data-json';
import type { FeatureSet } from '../../src/dataset/feature-set';
import { featuresToNpz } from '../../src/dataset/npz';
import { DEFAULT_SETTINGS } from '../../src/dsp/settings';
import { buildModel } from '../../src/model/architectures/build';
import { modelToFiles } from '../../src/saving/artifacts';
import { zipModel } from '../../src/saving/model-zip';
import { encodeWav, synthClip } from '../fixtures/audio';
import { writeTree } from '../fixtures/dataset-tree';
import { chooseDataset, labSession, setField, waitForTestId } from '../support/lab-page';

const wav = (genre: number, seconds: number, seed = 1) => encodeWav({ samples: synthClip(genre, seconds, 22050, seed), sampleRate: 22050 });
const alertText = (page: Page, panel = 'dataset-panel') => page.locator(panel).getByRole('alert').first().textContent();

function folder(files: Record<string, Uint8Array | string>): string {
  const root = join(mkdtempSync(join(tmpdir(), 'gtzan-untrusted-')), 'ds');
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), bytes);
  }
  return root;
}

/** Every element in the page, shadow roots included. */
const elementCount = (page: Page) => page.evaluate(() => {
  let n = 0;
  const walk = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll('*')) {
      n++;
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return n;
});

/** Main-thread task time the page spends over `ms` (Chromium's own count, through the DevTools protocol). */
async function busySeconds(page: Page, ms: number): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
  const before = await taskTime();
  await page.waitForTimeout(ms);
  const after = await taskTime();
  await cdp.detach();
  return after - before;
}

async function train(page: Page, epochs = '1') {
  await setField(page, 'Epochs', epochs);
  await setField(page, 'LSTM units (each of 2 layers)', '8');
  await page.getByRole('button', { name: 'Train' }).click();
  await waitForTestId(page, 'test-accuracy', 120_000);
}

describe('names, files and models from outside, in one page', () => {
  const lab = labSession({ acceptDownloads: true });

  it('with a dataset loaded the idle page does next to nothing', async () => {
    await chooseDataset(lab.page, writeTree({ clipsPerGenre: 3, seconds: 3, extras: false }).dir);
    await lab.page.waitForTimeout(1000);
    // 3 s of wall time: the update loop spent all of it (10-11 CPU-s per 10 s); now ~0.
    expect(await busySeconds(lab.page, 3000)).toBeLessThan(0.3);
  });

  it('genres named __proto__, constructor, hasOwnProperty, toString are charted like any other, and charts after them still work', async () => {
    const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];
    const files: Record<string, Uint8Array> = {};
    names.forEach((g, i) => {
      for (let c = 0; c < 4; c++) files[`${g}/c${c}.wav`] = wav(i % 3, 3, 10 * i + c);
    });
    await chooseDataset(lab.page, folder(files));
    await expect.poll(() => lab.page.getByTestId('genre-table').innerText()).toContain('hasOwnProperty');
    await train(lab.page);
    await lab.page.locator('[data-chart="confusion"] canvas, [data-chart="confusion"] svg').first().waitFor({ timeout: 30_000 });
    await lab.page.locator('[data-chart="per-genre"] canvas, [data-chart="per-genre"] svg').first().waitFor({ timeout: 30_000 });
    expect(await lab.page.evaluate(() => Object.getOwnPropertyNames(Object.prototype).filter((k) => !['constructor', '__defineGetter__', '__defineSetter__', 'hasOwnProperty',
      '__lookupGetter__', '__lookupSetter__', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf', '__proto__', 'toLocaleString'].includes(k)))).toEqual([]);
    // Every genre's row of the per-genre table is there with its own count.
    const rows = await lab.page.getByTestId('per-genre').locator('tbody th').allTextContents();
    expect(rows).toEqual([...names].sort());
    // A chart drawn after them (the classify bar chart) still draws.
    const clip = join(mkdtempSync(join(tmpdir(), 'gtzan-untrusted-clip-')), 'clip.wav');
    writeFileSync(clip, wav(1, 6, 99));
    await lab.page.getByLabel('Choose a clip to classify').setInputFiles(clip);
    await lab.page.locator('[data-chart="clip-probabilities"] canvas, [data-chart="clip-probabilities"] svg').first().waitFor({ timeout: 30_000 });
    expect(await lab.page.evaluate(() => 'num' in Object.prototype)).toBe(false);
    expect(lab.errors).toEqual([]);
  });

  it('an .npz whose X is shorter than its header, and a data.json with a blank genre or a file that is not a name, are refused with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-untrusted-files-'));
    const set: FeatureSet = {
      settings: { ...DEFAULT_SETTINGS, nMfcc: 2 }, genres: ['a', 'b'], frames: 130, coefficients: 2,
      clips: ['a', 'b'].flatMap((genre) => [0, 1].map((c) => ({ path: `${genre}/${c}.wav`, genre, segments: [new Float32Array(260).fill(c + 1)] }))),
    };
    const npz = unzipSync(featuresToNpz(set));
    const x = npz['X.npy'];
    npz['X.npy'] = x.slice(0, x.length - 2 * 260 * 4);
    writeFileSync(join(dir, 'short.npz'), zipSync(npz));
    await lab.page.getByLabel('Open data.json or .npz').setInputFiles(join(dir, 'short.npz'));
    await expect.poll(() => alertText(lab.page)).toMatch(/X\.npy declares 4 × 130 × 2 <f4 values \(4,160 bytes\) but holds 2,080 bytes/);
    const json = JSON.parse([...dataJsonChunks(set)].join(''));
    writeFileSync(join(dir, 'blank.json'), JSON.stringify({ ...json, mapping: ['a', ' '] }));
    await lab.page.getByLabel('Open data.json or .npz').setInputFiles(join(dir, 'blank.json'));
    await expect.poll(() => alertText(lab.page)).toMatch(/genre 2 has a blank name \(" "\)/);
    writeFileSync(join(dir, 'objects.json'), JSON.stringify({ ...json, files: [{ path: 'x' }, ...json.files.slice(1)] }));
    await lab.page.getByLabel('Open data.json or .npz').setInputFiles(join(dir, 'objects.json'));
    await expect.poll(() => alertText(lab.page)).toMatch(/"files" entry 1 is \{"path":"x"\}, not a file name/);
    expect(lab.errors).toEqual([]);
  });

  it('a model with NaN weights, billions of weights or an activation the lab does not run is refused when loaded', async () => {
    await tf.setBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-untrusted-models-'));
    const metadata = {
      format: 'gtzan-lab-model', version: 1, genres: ['blues', 'classical', 'rock'], features: { ...DEFAULT_SETTINGS }, inputShape: [130, 13], standardization: null,
      model: {}, training: {}, split: {}, metrics: null, createdAt: new Date().toISOString(),
    } as never;
    const files = await modelToFiles(buildModel({ frames: 130, coefficients: 13, classes: 3, lstmUnits: [8, 8], denseUnits: 8, dropout: 0.3, learningRate: 1e-3 }));
    const nan = new Float32Array(files.weights.slice(0)).fill(NaN);
    writeFileSync(join(dir, 'nan.zip'), zipModel({ ...files, weights: nan.buffer }, metadata));
    const huge = JSON.parse(JSON.stringify(files.modelJson));
    const dense = huge.modelTopology.config.layers[2];
    huge.modelTopology.config.layers.splice(2, 1, ...Array.from({ length: 60 }, (_, i) => ({ ...dense, config: { ...dense.config, name: `d${i}`, units: 8192 } })));
    writeFileSync(join(dir, 'huge.zip'), zipModel({ ...files, modelJson: huge }, metadata));
    const selu = JSON.parse(JSON.stringify(files.modelJson));
    selu.modelTopology.config.layers[2].config.activation = 'selu';
    writeFileSync(join(dir, 'selu.zip'), zipModel({ ...files, modelJson: selu }, metadata));
    const load = lab.page.getByLabel('Load model files');
    await load.setInputFiles(join(dir, 'nan.zip'));
    await expect.poll(() => alertText(lab.page, 'classify-panel'), { timeout: 30_000 }).toMatch(/Could not load the model: weights\.bin holds NaN \(value 1 of \d+\)/);
    await load.setInputFiles(join(dir, 'huge.zip'));
    await expect.poll(() => alertText(lab.page, 'classify-panel'), { timeout: 30_000 }).toMatch(/Could not load the model: model\.json describes a model of [\d,]+ weights; the lab runs models of up to 134,217,728/);
    await load.setInputFiles(join(dir, 'selu.zip'));
    await expect.poll(() => alertText(lab.page, 'classify-panel'), { timeout: 30_000 }).toMatch(/uses the activation "selu"/);
    expect(lab.errors).toEqual([]);
  });

  it('the Python recipe\'s data.json with 5 segments and no settings trains a model the lab loads back and classifies with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-untrusted-recipe-'));
    const segment = (g: number, s: number) => Array.from({ length: 259 }, (_, f) => Array.from({ length: 13 }, (_, k) => Math.sin(0.1 * f * (g + 1) + k + s)));
    const labels: number[] = [];
    const mfcc: number[][][] = [];
    for (let g = 0; g < 2; g++) for (let s = 0; s < 12; s++) {
      labels.push(g);
      mfcc.push(segment(g, s));
    }
    writeFileSync(join(dir, 'data.json'), JSON.stringify({ mapping: ['blues', 'rock'], labels, mfcc }));
    await lab.page.getByLabel('Open data.json or .npz').setInputFiles(join(dir, 'data.json'));
    await expect.poll(() => lab.page.locator('dataset-summary h3').first().textContent()).toMatch(/Features from data\.json: 24 clips, 259 frames × 13 coefficients/);
    await train(lab.page);
    const download = lab.page.waitForEvent('download');
    await lab.page.getByRole('button', { name: 'Download model' }).click();
    const zip = join(dir, 'model.zip');
    await (await download).saveAs(zip);
    const meta = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(zip)))['metadata.json']));
    expect(meta.features.segments).toBe(5);
    expect(meta.inputShape).toEqual([259, 13]);
    await lab.page.getByLabel('Load model files').setInputFiles(zip);
    await expect.poll(() => lab.page.getByTestId('classify-model').textContent(), { timeout: 30_000 }).toMatch(/loaded from model\.zip/);
    const clip = join(dir, 'clip.wav');
    writeFileSync(clip, wav(0, 30, 5));
    await lab.page.getByLabel('Choose a clip to classify').setInputFiles(clip);
    await expect.poll(() => lab.page.getByTestId('classify-top').textContent(), { timeout: 60_000 }).toMatch(/^clip\.wav: (blues|rock) \(/);
    expect(lab.errors).toEqual([]);
  });
});

describe('self-check.html with markup in its URL, and a thousand genres', () => {
  const lab = labSession();

  it('markup in ?backends is never markup, and the page does not run away', async () => {
    const payload = '<h2 id="pwn">Your session expired: <a href="https://attacker.example/login">sign in again</a></h2><meta http-equiv="refresh" content="1;url=about:blank"><img src=x onerror=alert(1)>';
    const page = await lab.browser.newPage();
    const url = `${inject('baseUrl')}self-check.html?run&backends=${encodeURIComponent(payload)}`;
    await page.goto(url);
    await page.waitForFunction(() => window.gtzanSelfCheck?.done === true, undefined, { timeout: 30_000 });
    await page.waitForTimeout(2000);
    expect(page.url()).toBe(url);
    expect(await page.locator('#pwn, meta[http-equiv="refresh"], #results a, #results img').count()).toBe(0);
    expect(await page.getByRole('status').textContent()).toBe('No backend was checked. 1 name in ?backends is not a backend (webgl, wasm, cpu) and was left out.');
    await page.close();
  });

  it('a data.json of 1 000 genres trains and shows a summary, not a table of a million cells', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-untrusted-many-'));
    const genres = Array.from({ length: 1000 }, (_, g) => `g${String(g).padStart(4, '0')}`);
    const set: FeatureSet = {
      settings: { ...DEFAULT_SETTINGS, nMfcc: 2 }, genres, frames: 130, coefficients: 2,
      clips: genres.flatMap((genre, g) => [0, 1].map((c) => ({ path: `${genre}/${c}.wav`, genre, segments: [new Float32Array(260).map((_, k) => Math.sin(g + k * (c + 1)))] }))),
    };
    writeFileSync(join(dir, 'many.json'), [...dataJsonChunks(set)].join(''));
    await lab.page.getByLabel('Open data.json or .npz').setInputFiles(join(dir, 'many.json'));
    await expect.poll(() => lab.page.locator('dataset-summary h3').first().textContent(), { timeout: 60_000 }).toMatch(/Features from many\.json: 2000 clips/);
    await setField(lab.page, 'Epochs', '1');
    await setField(lab.page, 'LSTM units (each of 2 layers)', '4');
    await lab.page.getByRole('button', { name: 'Train' }).click();
    await waitForTestId(lab.page, 'many-genres-note', 120_000);
    // The page answers, and holds thousands of elements, not a million.
    expect(await lab.page.evaluate(() => 1 + 1)).toBe(2);
    expect(await elementCount(lab.page)).toBeLessThan(60_000);
    expect(await lab.page.getByTestId('clip-confusion').count()).toBe(0);
    expect(await lab.page.locator('[data-chart="confusion"]').count()).toBe(0);
    expect(await lab.page.getByTestId('many-genres-note').textContent()).toMatch(/1000 genres: a table of every pair would hold 1,000,000 cells/);
    expect(lab.errors).toEqual([]);
  });
});

describe('a reload during tuning', () => {
  const lab = labSession();

  it('keeps every finished trial, says the search was interrupted, and goes on with the trials left', async () => {
    const { page } = lab;
    await chooseDataset(page, writeTree({ clipsPerGenre: 4, seconds: 3, extras: false }).dir);
    await setField(page, 'Trials', '4');
    await setField(page, 'Epochs per trial', '1');
    await setField(page, 'Largest units', '32');
    await page.getByRole('button', { name: 'Tune' }).click();
    const scored = page.getByTestId('trials').locator('tbody tr', { hasText: '%' });
    await expect.poll(() => scored.count(), { timeout: 120_000, interval: 50 }).toBeGreaterThanOrEqual(1);
    const before = await scored.count();
    await page.reload();
    await expect.poll(() => page.getByTestId('tuning-kept').textContent(), { timeout: 30_000 })
      .toMatch(/The last tuning search \(.*\) was interrupted \(the page was reloaded or closed while it ran\): \d of its 4 trials ended/);
    expect(await page.getByTestId('trials').locator('tbody tr', { hasText: '%' }).count()).toBeGreaterThanOrEqual(before);
    expect(await page.getByRole('button', { name: 'Use best' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Restore last dataset' }).click();
    const resume = page.getByRole('button', { name: /Continue the last search \(\d trials left\)/ });
    await resume.click({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('trials').locator('tbody tr', { hasText: '%' }).count(), { timeout: 180_000 }).toBe(4);
    const numbers = await page.getByTestId('trials').locator('tbody th').allTextContents();
    expect(numbers.map((n) => Number.parseInt(n, 10)).sort()).toEqual([1, 2, 3, 4]);
    expect(lab.errors).toEqual([]);
  });
});
