import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataJsonError, parseDataJson } from '../../../src/dataset/data-json';
import { featuresToNpz, npzToFeatures } from '../../../src/dataset/npz';
import { writeTree } from '../../fixtures/dataset-tree';
import { pythonWithNumpy } from '../../support/python';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

/** np.load the .npz and compare it with data.json from the same extraction, in Python. */
const COMPARE = `
import json, sys
import numpy as np
z = np.load(sys.argv[1])
d = json.load(open(sys.argv[2]))
X, y, ci = z["X"], z["y"], z["clip_index"]
names, genres = z["clip_names"], z["genre_names"]
out = {
  "arrays": sorted(z.files),
  "X": [str(X.dtype), list(X.shape)],
  "X_equal": bool(np.array_equal(X, np.array(d["mfcc"], dtype=np.float32))),
  "y_equal": bool(np.array_equal(y, np.array(d["labels"]))),
  "files_equal": [str(names[i]) for i in ci] == d["files"],
  "genres": [str(g) for g in genres] == d["mapping"],
  "settings": json.loads(str(z["settings"])) == d["settings"],
}
if "split" in z.files:
  out["split"] = [int(v) for v in z["split"]]
  out["split_info"] = json.loads(str(z["split_info"]))
print(json.dumps(out))
`;

describe('features as NumPy arrays (.npz)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gtzan-npz-'));
    const tree = writeTree({ genres: ['blues', 'rock'], clipsPerGenre: 3, seconds: 6, extras: false });
    const tsx = join(root, 'node_modules/.bin/tsx');
    for (const out of ['data.json', 'features.npz']) await run(tsx, ['src/cli/extract.ts', tree.dir, '--out', join(dir, out), '--workers', '2'], { cwd: root });
  }, 120_000);

  it('npm run extract --out features.npz writes what np.load reads, equal to data.json of the same extraction', async () => {
    writeFileSync(join(dir, 'compare.py'), COMPARE);
    const { stdout } = await run(pythonWithNumpy(), [join(dir, 'compare.py'), join(dir, 'features.npz'), join(dir, 'data.json')]);
    expect(JSON.parse(stdout)).toEqual({
      arrays: ['X', 'clip_index', 'clip_names', 'genre_names', 'settings', 'y'],
      X: ['float32', [12, 130, 13]],
      X_equal: true, y_equal: true, files_equal: true, genres: true, settings: true,
    });
  });

  it('reads back into the same features as the data.json, and carries a training run\'s split', async () => {
    const fromJson = parseDataJson(JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')));
    const fromNpz = npzToFeatures(new Uint8Array(readFileSync(join(dir, 'features.npz'))));
    expect(fromNpz.genres).toEqual(fromJson.genres);
    expect(fromNpz.settings).toEqual(fromJson.settings);
    expect(fromNpz.clips.map((c) => [c.path, c.genre, c.segments.map((s) => Array.from(s))])).toEqual(fromJson.clips.map((c) => [c.path, c.genre, c.segments.map((s) => Array.from(s))]));

    const paths = fromJson.clips.map((c) => c.path);
    const withSplit = featuresToNpz(fromJson, { train: paths.slice(0, 3), validation: [paths[3]], test: paths.slice(4, 5), info: { mode: 'clip', seed: 42 } });
    writeFileSync(join(dir, 'split.npz'), withSplit);
    const { stdout } = await run(pythonWithNumpy(), [join(dir, 'compare.py'), join(dir, 'split.npz'), join(dir, 'data.json')]);
    const seen = JSON.parse(stdout);
    expect(seen.split).toEqual([0, 0, 0, 1, 2, -1]);
    expect(seen.split_info).toEqual({ mode: 'clip', seed: 42 });
  });

  it('refuses an .npz it cannot use, saying why', () => {
    const bad = (b: Uint8Array) => {
      try { npzToFeatures(b); } catch (e) { expect(e).toBeInstanceOf(DataJsonError); return (e as Error).message; }
      throw new Error('expected an error');
    };
    expect(bad(new Uint8Array([1, 2, 3]))).toMatch(/not a readable \.npz/);
    const set = npzToFeatures(new Uint8Array(readFileSync(join(dir, 'features.npz'))));
    const oneGenre = { ...set, genres: ['blues'], clips: set.clips.filter((c) => c.genre === 'blues') };
    expect(bad(featuresToNpz(oneGenre))).toMatch(/Only one genre has features \(blues\)/);
  });

  it('an array whose header promises more (or other) bytes than it holds is refused before anything is allocated', () => {
    const good = unzipSync(new Uint8Array(readFileSync(join(dir, 'features.npz'))));
    const headerEnd = (npy: Uint8Array) => 10 + new DataView(npy.buffer, npy.byteOffset).getUint16(8, true);
    const npzWith = (name: string, change: (npy: Uint8Array) => Uint8Array) => zipSync({ ...good, [name]: change(good[name]) });
    const message = (b: Uint8Array) => {
      try { npzToFeatures(b); } catch (e) { expect(e).toBeInstanceOf(DataJsonError); return (e as Error).message; }
      throw new Error('expected an error');
    };
    // X's header says 12 segments, its data holds 2 of them.
    const short = npzWith('X.npy', (npy) => npy.slice(0, headerEnd(npy) + 2 * 130 * 13 * 4));
    expect(message(short)).toBe('X.npy declares 12 × 130 × 13 <f4 values (81,120 bytes) but holds 13,520 bytes');
    // one byte short of float32 alignment.
    expect(message(npzWith('X.npy', (npy) => npy.slice(0, npy.length - 1)))).toMatch(/^X.npy declares 12 × 130 × 13 <f4 values \(81,120 bytes\) but holds 81,119 bytes$/);
    // clip_names declares 2 × 10⁹ strings; refused at once, not after allocating them.
    const huge = npzWith('clip_names.npy', (npy) => {
      const header = new TextDecoder().decode(npy.subarray(10, headerEnd(npy))).replace(/'shape': \(\d+,\)/, "'shape': (2000000000,)");
      const out = npy.slice();
      out.set(new TextEncoder().encode(header.padEnd(headerEnd(npy) - 10, ' ')), 10);
      return out;
    });
    const started = performance.now();
    expect(message(huge)).toMatch(/^clip_names.npy declares 2000000000 <U\d+ values \([\d,]+ bytes\) but holds [\d,]+ bytes$/);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
