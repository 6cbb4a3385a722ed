import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dataJsonChunks } from '../../../src/dataset/data-json';
import { modelFromFiles } from '../../../src/saving/artifacts';
import { parseMetadata } from '../../../src/saving/metadata';
import { syntheticFeatures } from '../../fixtures/features';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

describe('npm run train', () => {
  it('trains from data.json, prints one line per epoch and the test accuracy, writes the three files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-train-'));
    const data = join(dir, 'data.json');
    writeFileSync(data, [...dataJsonChunks(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }))].join(''));
    const out = join(dir, 'model');
    const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), [
      'src/cli/train.ts', data, '--epochs', '2', '--split', 'clip', '--seed', '3', '--out', out,
      '--units', '8,8', '--dense', '8', '--learning-rate', '0.01', '--batch-size', '8',
    ], { cwd: root });
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => /^epoch \d+\/2 {2}loss [\d.]+ {2}accuracy/.test(l))).toHaveLength(2);
    const interval = (unit: string) => `\\d+\\.\\d % per ${unit} \\(95 % interval \\d+\\.\\d–\\d+\\.\\d %, 3 clips\\)`;
    const balanced = 'balanced \\d+\\.\\d % \\(mean per-genre clip accuracy, 95 % interval \\d+\\.\\d–\\d+\\.\\d %\\)';
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^test accuracy: ${interval('segment')}, ${interval('clip')}, ${balanced}; split clip \\(by-clip split: 6 train / 3 validation / 3 test clips\\)$`));
    // Three test clips say little, and the run says so before it trains.
    expect(lines.find((l) => l.startsWith('warning: '))).toMatch(/^warning: Only 3 test clips: one clip moves the clip accuracy by 33 points/);
    const meta = parseMetadata(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')));
    // metadata.json keeps the balanced clip accuracy and its interval beside the others.
    expect(meta.metrics?.testBalancedClipAccuracy).toBeGreaterThanOrEqual(0);
    expect(meta.metrics?.testBalancedClipInterval).toHaveLength(2);
    expect(meta.split).toMatchObject({ mode: 'clip', seed: 3, testClips: 3 });
    expect(meta.metrics?.split).toMatch(/by clip/);
    expect(meta.metrics?.testClipInterval?.[0]).toBeLessThanOrEqual(meta.metrics!.testClipAccuracy);
    expect(meta.split.warnings?.[0]).toMatch(/^Only 3 test clips/);
    await tf.setBackend('cpu');
    const weights = readFileSync(join(out, 'weights.bin'));
    const model = await modelFromFiles(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')), weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength));
    expect(model.outputs[0].shape).toEqual([null, 3]);
    model.dispose();
  });

  it('--model cnn trains the 2-D CNN, and metadata.json names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-train-'));
    const data = join(dir, 'data.json');
    writeFileSync(data, [...dataJsonChunks(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }))].join(''));
    const out = join(dir, 'model');
    const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), [
      'src/cli/train.ts', data, '--epochs', '1', '--model', 'cnn', '--filters', '4', '--out', out, '--learning-rate', '0.01', '--batch-size', '8',
    ], { cwd: root });
    expect(stdout).toMatch(/backend wasm, model cnn;[^\n]*\n(warning: [^\n]*\n)*training with SIMD CNN kernel on WASM, \d threads?\n/);
    const meta = parseMetadata(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')));
    expect(meta.model).toMatchObject({ architecture: 'cnn', filters: 4 });
    const layers = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    expect(layers.filter((c: string) => c === 'Conv2D')).toHaveLength(4);
    const err = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/train.ts', data, '--epochs', '1', '--model', 'rnn', '--out', out], { cwd: root })
      .then(() => undefined, (e: { stderr: string; code: number }) => e);
    expect(err?.stderr).toMatch(/Model must be one of lstm, cnn, conv1d/);
  });

  it('an --out it cannot write is refused before training, not after the last epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-train-out-'));
    const data = join(dir, 'data.json');
    writeFileSync(data, [...dataJsonChunks(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }))].join(''));
    const tsx = join(root, 'node_modules/.bin/tsx');
    const refused = (out: string) => run(tsx, ['src/cli/train.ts', data, '--epochs', '1', '--out', out], { cwd: root })
      .then(() => undefined, (e: { stdout: string; stderr: string; code: number }) => e);
    const file = await refused(data);
    expect(file?.code).toBe(1);
    expect(file?.stderr).toContain(`--out ${data} is a file; it must name a folder`);
    const under = await refused(join(data, 'model'));
    expect(under?.stderr).toContain(`--out ${join(data, 'model')} cannot hold the model: ${data} is a file`);
    for (const e of [file, under]) expect(e?.stdout).not.toMatch(/epoch/);
  });

  it('--preset help lists the presets; a preset that needs log-mel says how to extract it; --preset fast trains with early stopping', async () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const help = await run(tsx, ['src/cli/train.ts', '--preset', 'help'], { cwd: root });
    expect(help.stdout).toMatch(/^presets \(npm run train -- data\.json --preset NAME[^\n]*\n {2}recipe .*\n {2}cnn .*\n {2}fast .*\n$/);
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-train-'));
    const data = join(dir, 'data.json');
    writeFileSync(data, [...dataJsonChunks(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }))].join(''));
    const err = await run(tsx, ['src/cli/train.ts', data, '--preset', 'cnn', '--out', join(dir, 'm')], { cwd: root }).then(() => undefined, (e: { stderr: string }) => e);
    expect(err?.stderr).toMatch(/data\.json: the cnn preset trains on 64 log-mel bands; these features are 13 MFCCs\. Extract 64 log-mel bands: npm run extract -- <dataset folder> --features logmel --n-mels 64 --out data\.json/);
    const out = join(dir, 'fast');
    const { stdout } = await run(tsx, ['src/cli/train.ts', data, '--preset', 'fast', '--epochs', '4', '--early-stopping', '1', '--filters', '4', '--dense', '8', '--out', out], { cwd: root });
    expect(stdout).toMatch(/model conv1d \(preset fast\)/);
    const meta = parseMetadata(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')));
    expect(meta.training).toMatchObject({ earlyStopping: 1, standardize: true, epochs: 4 });
    const epochs = stdout.split('\n').filter((l) => /^epoch \d\/4/.test(l)).length;
    // Stopped at the first epoch without a lower validation loss, or ran all 4; either way the kept epoch is recorded.
    expect(meta.training.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(meta.training.bestEpoch).toBeLessThanOrEqual(epochs);
    expect(meta.training.epochsCompleted).toBe(epochs);
    if (epochs < 4) expect(stdout).toMatch(/stopped early: 1 epochs without a lower validation loss/);
  });

  it('--compare-splits trains the same settings on each split side by side and says what the leaks added', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-train-'));
    const data = join(dir, 'data.json');
    writeFileSync(data, [...dataJsonChunks(syntheticFeatures({ genres: 3, clipsPerGenre: 8, seconds: 6 }))].join(''));
    const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), [
      'src/cli/train.ts', data, '--compare-splits', '--model', 'conv1d', '--filters', '4', '--dense', '8', '--epochs', '2', '--learning-rate', '0.01', '--threads', '2',
    ], { cwd: root });
    const lines = stdout.trim().split('\n');
    for (const label of ['by segment', 'by clip']) {
      expect(lines.some((l) => new RegExp(`^${label}: \\d+\\.\\d % per segment \\(95 % interval [^)]*clips\\), \\d+\\.\\d % per clip [^;]*, balanced \\d+\\.\\d % \\(95 % interval`).test(l)), label).toBe(true);
    }
    expect(lines[lines.length - 1]).toMatch(/^leak report: by segment \d+\.\d %, by clip \d+\.\d %(, artist-disjoint \([^)]+\) \d+\.\d %)? per segment[:.]/);
  });

  it('a run whose numbers stop being finite ends at that epoch with one line and exit code 1, and writes nothing when no epoch before it was finite', async () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-train-'));
    // Features of ±scale, unstandardised: batch normalisation's moving variance overflows float32.
    const huge = (scale: number) => {
      const set = syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 });
      for (const c of set.clips) for (const seg of c.segments) for (let i = 0; i < seg.length; i++) seg[i] = i % 2 ? scale : -scale;
      const file = join(dir, `data-${scale}.json`);
      writeFileSync(file, [...dataJsonChunks(set)].join(''));
      return file;
    };
    const train = (data: string, out: string, scaled = ['--no-standardize']) => run(tsx, [
      'src/cli/train.ts', data, '--preset', 'fast', ...scaled, '--early-stopping', '2', '--epochs', '8', '--threads', '1', '--out', out,
    ], { cwd: root }).then(() => undefined, (e: { stdout: string; stderr: string; code: number }) => e);
    // 1e30: the losses of epoch 1 look sane, but its moving variance (1e60) is already infinite.
    const none = join(dir, 'none');
    const err = await train(huge(1e30), none);
    expect(err?.code).toBe(1);
    expect(err!.stdout.split('\n').filter((l) => /^epoch \d\/8/.test(l))).toHaveLength(1);
    expect(err!.stderr.trim().split('\n')).toEqual([
      'training diverged at epoch 1 of 8: the weights held NaN or infinite values; no epoch before it had finite losses and weights, so no weights are kept; nothing was written',
    ]);
    expect(existsSync(none)).toBe(false);
    const err2 = await train(huge(3e38), none);
    expect(err2?.code).toBe(1);
    expect(err2!.stderr.trim().split('\n')).toEqual([
      'training diverged at epoch 1 of 8: the training loss was NaN; no epoch before it had finite losses and weights, so no weights are kept; nothing was written',
    ]);
    expect(existsSync(none)).toBe(false);
  });

  it('rejects a bad split mode with a message', async () => {
    const err = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/train.ts', 'x.json', '--epochs', '1', '--split', 'nope', '--out', '/tmp/x'], { cwd: root })
      .then(() => undefined, (e: { stderr: string; code: number }) => e);
    expect(err?.code).not.toBe(0);
    expect(err?.stderr).toMatch(/--split must be clip, segment, filtered or artist/);
  });
});
