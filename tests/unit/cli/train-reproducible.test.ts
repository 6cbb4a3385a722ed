import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dataJsonChunks } from '../../../src/dataset/data-json';
import { syntheticFeatures } from '../../fixtures/features';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

describe('npm run train with a seed', () => {
  it('twice with the same seed writes byte-identical weights.bin and the same test accuracy; another seed other weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-seed-'));
    const data = join(dir, 'data.json');
    writeFileSync(data, [...dataJsonChunks(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }))].join(''));
    const train = async (seed: number, name: string, threads: number) => {
      const out = join(dir, name);
      const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), [
        'src/cli/train.ts', data, '--epochs', '2', '--seed', String(seed), '--out', out, '--threads', String(threads),
        '--units', '8,8', '--dense', '8', '--dropout', '0.3', '--learning-rate', '0.01', '--batch-size', '8',
      ], { cwd: root });
      const last = stdout.trim().split('\n').pop();
      return { weights: readFileSync(join(out, 'weights.bin')), last, meta: JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')) };
    };
    const a = await train(7, 'a', 1);
    const b = await train(7, 'b', 2);
    const c = await train(8, 'c', 1);
    expect(b.weights.equals(a.weights)).toBe(true);
    expect(b.last).toBe(a.last);
    expect(c.weights.equals(a.weights)).toBe(false);
    // What a re-run needs is in the metadata: the seed, the data's fingerprint, the engine and its threads.
    expect(a.meta.training).toMatchObject({ seed: 7, path: 'fast-lstm', threads: 1 });
    expect(b.meta.training).toMatchObject({ seed: 7, threads: 2 });
    expect(a.meta.training.dataFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(b.meta.training.dataFingerprint).toBe(a.meta.training.dataFingerprint);
  }, 180_000);
});
