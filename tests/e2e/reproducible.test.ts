import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseMetadata } from '../../src/saving/metadata';
import { unzipModel } from '../../src/saving/model-zip';
import { writeTree } from '../fixtures/dataset-tree';
import { chooseDataset, labSession, setField, waitForTestId } from '../support/lab-page';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');

describe('a seed fixes a run in the page and on the command line alike', () => {
  const lab = labSession({ acceptDownloads: true });

  it('the page and npm run train, given the same features, settings and seed, write the same weights.bin', async () => {
    const { page, errors } = lab;
    await chooseDataset(page, writeTree({ clipsPerGenre: 4, extras: false }).dir);
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-page-cli-'));
    const data = join(dir, 'data.json');
    const exported = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export features' }).click();
    await (await exported).saveAs(data);

    await setField(page, 'LSTM units (each of 2 layers)', '8');
    await setField(page, 'Epochs', '2');
    await setField(page, 'Batch size', '8');
    await setField(page, 'Seed', '1234');
    await page.getByLabel('Learning rate').selectOption('0.01');
    await page.getByRole('button', { name: 'Train' }).click();
    await waitForTestId(page, 'test-accuracy', 180_000);
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download model' }).click();
    const fromPage = unzipModel(new Uint8Array(readFileSync((await (await downloaded).path())!)));
    const meta = parseMetadata(fromPage.metadata);
    expect(meta.training.seed).toBe(1234);

    // The command line with the page's own settings, read back from its metadata.json.
    const m = meta.model;
    const t = meta.training;
    const out = join(dir, 'cli');
    await run(join(root, 'node_modules/.bin/tsx'), [
      'src/cli/train.ts', data, '--out', out, '--seed', String(t.seed), '--split', meta.split.mode, '--epochs', String(t.epochs),
      '--batch-size', String(t.batchSize), '--model', m.architecture ?? 'lstm', '--units', m.lstmUnits.join(','), '--dense', String(m.denseUnits),
      '--dropout', String(m.dropout), '--learning-rate', String(m.learningRate), t.standardize ? '--standardize' : '--no-standardize',
      '--early-stopping', String(t.earlyStopping ?? 0), '--schedule', t.schedule ?? 'constant',
      '--time-mask', String(t.augment?.timeMask ?? 0), '--freq-mask', String(t.augment?.freqMask ?? 0), '--shift', String(t.augment?.shift ?? 0),
    ], { cwd: root });
    const cli = parseMetadata(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')));
    expect(cli.training.dataFingerprint).toBe(t.dataFingerprint);
    expect(cli.training.path).toBe(t.path);
    expect(Buffer.from(readFileSync(join(out, 'weights.bin'))).equals(Buffer.from(fromPage.weights))).toBe(true);
    expect(cli.metrics?.testClipAccuracy).toBe(meta.metrics?.testClipAccuracy);
    expect(errors).toEqual([]);
  });
});
