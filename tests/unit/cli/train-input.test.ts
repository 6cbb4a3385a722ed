import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeatureInput } from '../../../src/cli/shard-folder';
import { dataJsonChunks } from '../../../src/dataset/data-json';
import type { FeatureSet } from '../../../src/dataset/feature-set';
import { featuresToNpz } from '../../../src/dataset/npz';
import { fakeFeatures } from '../../fixtures/app-fakes';
import { writeShards } from '../../support/train-py';

const paths = (set: FeatureSet) => set.clips.map((c) => c.path);

/** The set's clips cut in two sets of the same genres, as two shards hold them. */
function halves(set: FeatureSet): [FeatureSet, FeatureSet] {
  const odd = (i: number) => i % 2 === 1;
  return [{ ...set, clips: set.clips.filter((_, i) => !odd(i)) }, { ...set, clips: set.clips.filter((_, i) => odd(i)) }];
}

describe('npm run train\'s input', () => {
  const set = fakeFeatures({}, 3, 4);

  it('reads a data.json, an .npz and a shard folder (or its manifest) as the same features', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-input-'));
    writeFileSync(join(dir, 'data.json'), [...dataJsonChunks(set)].join(''));
    writeFileSync(join(dir, 'features.npz'), featuresToNpz(set));
    const shards = writeShards(dir, halves(set));
    for (const input of [join(dir, 'data.json'), join(dir, 'features.npz'), shards, join(shards, 'manifest.json')]) {
      const read = await readFeatureInput(input);
      expect([...paths(read)].sort()).toEqual([...paths(set)].sort());
      expect(read).toMatchObject({ frames: set.frames, coefficients: set.coefficients, genres: set.genres });
    }
  });

  it('refuses a shard whose bytes are not the ones the manifest lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-input-'));
    const shards = writeShards(dir, halves(set));
    const manifest = JSON.parse(readFileSync(join(shards, 'manifest.json'), 'utf8'));
    writeFileSync(join(shards, manifest.shards[1].file), featuresToNpz(halves(set)[0]));
    await expect(readFeatureInput(shards)).rejects.toThrow(/not the shard manifest\.json lists/);
  });

  it('names the file when an .npz cannot be read, and a path that is not there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-input-'));
    writeFileSync(join(dir, 'bad.npz'), 'not a zip');
    await expect(readFeatureInput(join(dir, 'bad.npz'))).rejects.toThrow(/bad\.npz: not a readable \.npz/);
    await expect(readFeatureInput(join(dir, 'none.json'))).rejects.toThrow(/none\.json: no such file or folder/);
  });
});
