import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dataJsonChunks } from '../../../src/dataset/data-json';
import { modelFromFiles } from '../../../src/model/files/artifacts';
import { parseMetadata } from '../../../src/model/files/metadata';
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
    expect(lines[lines.length - 1]).toMatch(/^test accuracy: [01]\.\d{4} \(segment\), [01]\.\d{4} \(clip\), split clip \(by-clip split: 6 train \/ 3 validation \/ 3 test clips\)$/);
    const meta = parseMetadata(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')));
    expect(meta.split).toMatchObject({ mode: 'clip', seed: 3, testClips: 3 });
    expect(meta.metrics?.split).toMatch(/by clip/);
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
    expect(stdout).toMatch(/backend wasm, model cnn;[^\n]*\ntraining with the fast CNN kernels on \d threads?\n/);
    const meta = parseMetadata(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')));
    expect(meta.model).toMatchObject({ architecture: 'cnn', filters: 4 });
    const layers = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    expect(layers.filter((c: string) => c === 'Conv2D')).toHaveLength(4);
    const err = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/train.ts', data, '--epochs', '1', '--model', 'rnn', '--out', out], { cwd: root })
      .then(() => undefined, (e: { stderr: string; code: number }) => e);
    expect(err?.stderr).toMatch(/Model must be one of lstm, cnn, conv1d/);
  });

  it('rejects a bad split mode with a message', async () => {
    const err = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/train.ts', 'x.json', '--epochs', '1', '--split', 'nope', '--out', '/tmp/x'], { cwd: root })
      .then(() => undefined, (e: { stderr: string; code: number }) => e);
    expect(err?.code).not.toBe(0);
    expect(err?.stderr).toMatch(/--split must be clip, segment, filtered or artist/);
  });
});
