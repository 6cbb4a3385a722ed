/**
 * python/train.py reads its features without trusting them: a shard folder only through the
 * manifest npm run extract writes, every shard checked against it; every .npz's arrays against
 * their headers, labels and clip numbers against the names, values finite, settings in the lab's
 * ranges, a split with clips to train and to test on. Each refusal is one line naming the file.
 */
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureSet, numpyEdit, refused, SETTINGS, settingsFile, SMALL_MODEL, train, workDir, writeNpz, writeShards } from '../../support/train-py';

const FAST = { epochs: 1, batchSize: 8, standardize: true };

describe('python/train.py: its features', { timeout: 180_000 }, () => {
  const dir = workDir('train-py-inputs');
  const settings = settingsFile(dir, SMALL_MODEL, FAST);
  const out = join(dir, 'never-written');
  const run = (features: string, reason: string | RegExp) => refused([features, '--out', out, '--settings', settings], reason, out);

  it('trains on a shard folder that its manifest describes, an empty shard among them', async () => {
    const shards = writeShards(workDir('shards-ok'), [featureSet(4, { prefix: 'a/' }), featureSet(0, { prefix: 'c/' }), featureSet(4, { prefix: 'b/' })]);
    const r = await train([shards, '--out', join(dir, 'from-shards'), '--settings', settings, '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, 'from-shards', 'metadata.json'), 'utf8'));
    expect(meta.split.trainSegments + meta.split.validationSegments + meta.split.testSegments).toBe(48);
  });

  it('refuses a shard folder without a manifest', async () => {
    const shards = writeShards(workDir('no-manifest'), [featureSet(4)]);
    writeFileSync(join(shards, 'manifest.json'), '');
    await run(shards, /is not valid JSON$/);
    const bare = workDir('bare');
    writeNpz(bare, 'part-00000.npz', featureSet(4));
    await run(bare, `${bare} has no manifest.json`);
  });

  it('a copied shard is refused with its name', async () => {
    const shards = writeShards(workDir('copied'), [featureSet(4, { prefix: 'a/' }), featureSet(4, { prefix: 'b/' })]);
    copyFileSync(join(shards, 'part-00000.npz'), join(shards, 'part-00000 (1).npz'));
    await run(shards, `${join(shards, 'part-00000 (1).npz')} is not listed in manifest.json`);
  });

  it('a link to a file that is not an .npz is refused as unlisted, and such a file given alone is named for what it is', async () => {
    const shards = writeShards(workDir('link'), [featureSet(4)]);
    symlinkSync('/etc/hostname', join(shards, 'zz-evil.npz'));
    await run(shards, `${join(shards, 'zz-evil.npz')} is not listed in manifest.json`);
    await run('/etc/hostname', '/etc/hostname is not an .npz (a zip of NumPy arrays)');
  });

  it('a shard replaced by another extraction\'s is refused by its checksum, naming it', async () => {
    const shards = writeShards(workDir('swapped'), [featureSet(4, { prefix: 'a/' }), featureSet(4, { prefix: 'b/' })]);
    const other = writeShards(workDir('other'), [featureSet(4, { prefix: 'b/', scale: 2 })]);
    copyFileSync(join(other, 'part-00000.npz'), join(shards, 'part-00001.npz'));
    await run(shards, `${join(shards, 'part-00001.npz')} does not match its sha256 in manifest.json`);
  });

  it('a truncated shard is refused by its size, naming it', async () => {
    const shards = writeShards(workDir('cut'), [featureSet(4)]);
    const path = join(shards, 'part-00000.npz');
    writeFileSync(path, readFileSync(path).subarray(0, 500));
    await run(shards, new RegExp(`^${path} is 500 bytes but manifest.json says [\\d,]+: it changed or was cut short`));
  });

  it('shards of other settings or another segment shape are refused even when the manifest is rewritten to match their bytes', async () => {
    for (const [name, odd] of [
      ['logmel', featureSet(4, { prefix: 'b/', settings: { ...SETTINGS, featureType: 'logmel', nMels: 13 } })],
      ['frames', featureSet(4, { prefix: 'b/', settings: { ...SETTINGS, segments: 1 }, frames: 87 })],
    ] as const) {
      const shards = writeShards(workDir(`mixed-${name}`), [featureSet(4, { prefix: 'a/' }), odd]);
      const manifest = JSON.parse(readFileSync(join(shards, 'manifest.json'), 'utf8'));
      const mixed = writeShards(workDir(`mixed-${name}-2`), [featureSet(4, { prefix: 'a/' }), featureSet(4, { prefix: 'b/' })]);
      // The odd shard, with the first manifest's entry for it, in a folder whose manifest is otherwise of MFCCs.
      copyFileSync(join(shards, 'part-00001.npz'), join(mixed, 'part-00001.npz'));
      const theirs = JSON.parse(readFileSync(join(mixed, 'manifest.json'), 'utf8'));
      theirs.shards[1] = manifest.shards[1];
      writeFileSync(join(mixed, 'manifest.json'), JSON.stringify(theirs));
      await run(mixed, new RegExp(`^${join(mixed, 'part-00001.npz')}: its (settings|segment shape) differ from those manifest.json lists for it`));
    }
  });

  it('a clip in two shards is refused, naming both', async () => {
    const shards = writeShards(workDir('twice'), [featureSet(4), featureSet(4)]);
    await run(shards, /part-00001.npz: clip blues\/blues.00000.wav is also in .*part-00000.npz/);
  });

  it('labels outside the genres and negative clip numbers are refused with the segment named', async () => {
    const good = writeNpz(dir, 'good.npz', featureSet(4));
    await run(numpyEdit(good, join(dir, 'y7.npz'), "z['y'][5] = 7"), /y7.npz: segment 5: y 7 is not an index into genre_names \(3 genres\)$/);
    await run(numpyEdit(good, join(dir, 'y-1.npz'), "z['y'][3] = -1"), /y-1.npz: segment 3: y -1 is not an index into genre_names/);
    await run(numpyEdit(good, join(dir, 'clip-1.npz'), "z['clip_index'][2] = -1"), /clip-1.npz: segment 2: clip_index -1 is not an index into clip_names \(12 clips\)$/);
  });

  it('a value that is not finite is refused with the segment named, before any metadata could hold NaN', async () => {
    const good = writeNpz(dir, 'good2.npz', featureSet(4));
    await run(numpyEdit(good, join(dir, 'nan.npz'), "z['X'][9, 3, 2] = np.nan"), /nan.npz: X holds nan in segment 9/);
  });

  it('settings outside the lab\'s ranges are refused in the words every reader uses', async () => {
    const good = writeNpz(dir, 'good3.npz', featureSet(4));
    const edited = numpyEdit(good, join(dir, 'nmels.npz'), "s = json.loads(str(z['settings'])); s['nMels'] = 4000000; z['settings'] = np.array(json.dumps(s))");
    await run(edited, /nmels.npz: settings: nMels must be from 1 to 512, got 4000000$/);
  });

  it('an array whose header declares more than the file holds is refused before numpy allocates it', async () => {
    const good = writeNpz(dir, 'good4.npz', featureSet(4));
    const code = `
import io
z = None
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2] + '.npz', 'w') as dst:
    for info in src.infolist():
        data = src.read(info)
        if info.filename == 'clip_names.npy':
            f = io.BytesIO(); np.lib.format.write_array_header_1_0(f, {'descr': '<U64', 'fortran_order': False, 'shape': (2000000000,)})
            data = f.getvalue() + b'x' * 100
        dst.writestr(info, data)
sys.exit(0)`;
    numpyEdit(good, join(dir, 'huge'), code);
    await run(join(dir, 'huge.npz'), /huge.npz: clip_names.npy declares 2000000000 values of 256 bytes \(476.8 GiB\) but holds 100 bytes$/);
  });

  it('an array of Python objects is refused in one line', async () => {
    const good = writeNpz(dir, 'good5.npz', featureSet(4));
    await run(numpyEdit(good, join(dir, 'objects.npz'), "z['genre_names'] = np.array(['a', 'b', 'c'], dtype=object)"), /objects.npz: genre_names.npy holds Python objects/);
  });

  it('a split with no training clips, or no test clips, is refused rather than trained', async () => {
    const good = writeNpz(dir, 'good6.npz', featureSet(4));
    await run(numpyEdit(good, join(dir, 'all-test.npz'), "z['split'] = np.full(len(z['clip_names']), 2, dtype=np.int8)"), /the lab split has no training clips \(0 train \/ 0 validation \/ 12 test clips\)/);
    await run(numpyEdit(good, join(dir, 'no-test.npz'), "z['split'] = np.zeros(len(z['clip_names']), dtype=np.int8)"), /the lab split has no test clips \(12 train \/ 0 validation \/ 0 test clips\)/);
    const empty = writeShards(workDir('empty'), [featureSet(0), featureSet(0)]);
    await run(empty, /the clip split has no training clips \(0 train \/ 0 validation \/ 0 test clips\)/);
  });
});
