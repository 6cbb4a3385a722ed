/**
 * python/train.py checks a run before it trains (settings, seed, --processes, --out, --init), stops
 * a diverged run without writing a model, turns early stopping off when no epoch can be scored,
 * writes its files under temporary names so a failed write leaves the previous model whole, and
 * writes JSON that every reader takes. Each refusal is one line.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMetadata } from '../../../src/saving/metadata';
import { featureSet, refused, settingsFile, SMALL_MODEL, train, workDir, writeNpz } from '../../support/train-py';

const FAST = { epochs: 1, batchSize: 8, standardize: true };

describe('python/train.py: a run', { timeout: 180_000 }, () => {
  const dir = workDir('train-py-run');
  const npz = writeNpz(dir, 'features.npz', featureSet(4));
  const settings = settingsFile(dir, SMALL_MODEL, FAST);
  const model = join(dir, 'model');
  const out = join(dir, 'never-written');

  beforeAll(async () => {
    // The model --init starts from, trained with the largest seed the lab takes.
    const r = await train([npz, '--out', model, '--settings', settings, '--seed', '4294967295', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('takes every seed from 0 to 4294967295 and refuses others in one line; one seed gives the same weights twice', async () => {
    expect(JSON.parse(readFileSync(join(model, 'metadata.json'), 'utf8')).training.seed).toBe(4294967295);
    await refused([npz, '--out', out, '--settings', settings, '--seed', '-1'], '--seed must be a whole number from 0 to 4294967295, got -1', out);
    await refused([npz, '--out', out, '--settings', settings, '--seed', '4294967296'], '--seed must be a whole number from 0 to 4294967295, got 4294967296', out);
    const again = join(dir, 'again');
    expect((await train([npz, '--out', again, '--settings', settings, '--seed', '4294967295', '--threads', '1'])).code).toBe(0);
    expect(readFileSync(join(again, 'weights.bin')).equals(readFileSync(join(model, 'weights.bin')))).toBe(true);
  });

  const badSettings: [object, object, string][] = [
    [{ architecture: 'evil' }, {}, 'model.architecture must be one of lstm, cnn, conv1d, got "evil"'],
    [{}, { batchSize: 0 }, 'training.batchSize must be a whole number from 1 to 4096, got 0'],
    [{}, { batchSize: -4 }, 'training.batchSize must be a whole number from 1 to 4096, got -4'],
    [{}, { epochs: '3' }, 'training.epochs must be a whole number from 1 to 10000, got "3"'],
    [{ denseUnits: 9000 }, {}, 'model.denseUnits must be a whole number from 1 to 4096, got 9000'],
    [{ learningRate: 1e9 }, {}, 'model.learningRate must be a number above 0 and at most 1, got 1000000000'],
    [{ dropout: 2 }, {}, 'model.dropout must be a number at least 0 and below 1, got 2'],
  ];
  for (const [m, t, reason] of badSettings) {
    it(`refuses a setting of the wrong type or outside the lab's ranges in one line: ${reason}`, async () => {
      await refused([npz, '--out', out, '--settings', settingsFile(dir, { ...SMALL_MODEL, ...m }, { ...FAST, ...t })], reason, out);
    });
  }

  it('refuses settings with no "training" object, and --epochs 0, in one line', async () => {
    const noTraining = join(dir, 'no-training.json');
    writeFileSync(noTraining, JSON.stringify({ model: SMALL_MODEL }));
    await refused([npz, '--out', out, '--settings', noTraining], `--settings ${noTraining} has no "training" object`, out);
    await refused([npz, '--out', out, '--settings', settings, '--epochs', '0'], 'training.epochs must be a whole number from 1 to 10000, got 0', out);
  });

  it('refuses more processes than cores unless forced', async () => {
    await refused([npz, '--out', out, '--settings', settings, '--processes', '1000'], /^--processes 1000 is more than the \d+ cores here .* add --force-processes/, out);
  });

  it('checks --out before training: an existing file, or a place it cannot write, is refused at once', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'keep me');
    await refused([npz, '--out', file, '--settings', settings], `--out ${file} is a file; it must name a folder`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    await refused([npz, '--out', join(file, 'model'), '--settings', settings], new RegExp(`^--out ${file}/model cannot be written: `));
  });

  it('a write that fails part-way leaves the previous model whole and no temporary file', async () => {
    const target = join(dir, 'rewritten');
    expect((await train([npz, '--out', target, '--settings', settings, '--threads', '1'])).code).toBe(0);
    const before = Object.fromEntries(readdirSync(target).map((f) => [f, readFileSync(join(target, f))]));
    // The second run's weights.bin (512 dense units) is larger than the files this shell may write.
    const big = settingsFile(dir, { ...SMALL_MODEL, denseUnits: 512 }, FAST);
    const r = await train([npz, '--out', target, '--settings', big, '--threads', '1'], 'ulimit -f 40');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^train.py: could not write the model in ${target}: File too large; the files it held before are as they were$`));
    expect(readdirSync(target).sort()).toEqual(Object.keys(before).sort());
    for (const [f, bytes] of Object.entries(before)) expect(readFileSync(join(target, f)).equals(bytes), f).toBe(true);
  });

  it('a diverged run stops at that epoch, says so, and writes no model', async () => {
    const huge = writeNpz(dir, 'huge-values.npz', featureSet(4, { scale: 1e30 }));
    const target = join(dir, 'diverged');
    const r = await train([huge, '--out', target, '--settings', settingsFile(dir, { ...SMALL_MODEL, learningRate: 1 }, { epochs: 5, batchSize: 4, standardize: false }), '--threads', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^train.py: training diverged at epoch 1: (the loss is (NaN|infinite)|a weight is no longer a finite number); no model was written/);
    expect(existsSync(join(target, 'model.zip'))).toBe(false);
  });

  it('with no validation clips, early stopping is turned off with a note, every epoch runs, and metadata.json holds no NaN', async () => {
    const three = writeNpz(dir, 'three-a-genre.npz', featureSet(3));
    const target = join(dir, 'no-validation');
    const r = await train([three, '--out', target, '--preset', 'fast', '--epochs', '7', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^note: the split has no validation clips, so early stopping cannot score an epoch: all 7 epochs run/m);
    const text = readFileSync(join(target, 'metadata.json'), 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    const meta = parseMetadata(JSON.parse(text));  // the page's reader takes it
    expect(meta.training.epochsCompleted).toBe(7);
    expect(meta.training.earlyStopping).toBe(0);
    expect(JSON.parse(text).history.map((h: { valLoss: unknown }) => h.valLoss)).toEqual(Array(7).fill(null));
  });

  describe('--init', () => {
    const initFrom = (name: string, change: (modelJson: { weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[] }) => void, weights?: (w: Float32Array) => Uint8Array) => {
      const folder = join(dir, 'init', name);
      mkdirSync(folder, { recursive: true });
      const mj = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
      change(mj);
      writeFileSync(join(folder, 'model.json'), JSON.stringify(mj));
      const w = new Float32Array(new Uint8Array(readFileSync(join(model, 'weights.bin'))).buffer);
      writeFileSync(join(folder, 'weights.bin'), weights ? weights(w) : new Uint8Array(w.buffer));
      return join(folder, 'model.json');
    };
    const refuseInit = (path: string, reason: string | RegExp) => refused([npz, '--out', out, '--settings', settings, '--init', path], reason, out);

    it('starts from a lab model of the same architecture', async () => {
      const r = await train([npz, '--out', join(dir, 'from-init'), '--settings', settings, '--init', join(model, 'model.json'), '--threads', '1']);
      expect(r.code, r.stderr).toBe(0);
    });

    it('reads weights only inside the model\'s folder: no absolute path, no ..', async () => {
      for (const p of ['/dev/zero', '../../../../../../etc/hostname', '/etc/hostname']) {
        const path = initFrom(`path-${p.replace(/\W/g, '')}`, (mj) => (mj.weightsManifest[0].paths = [p]));
        await refuseInit(path, `--init ${path}: weights path ${JSON.stringify(p)} is outside the model's folder`);
      }
    });

    it('refuses declared shapes beyond the lab\'s limits or the bytes there, before reading them', async () => {
      const huge = initFrom('huge', (mj) => (mj.weightsManifest[0].weights[0].shape = [100000, 100000, 100]));
      await refuseInit(huge, new RegExp(`^--init ${huge} declares 1,000,000,00[\\d,]+ weights; the lab runs models of up to 134,217,728$`));
      const cut = initFrom('cut', () => undefined, (w) => new Uint8Array(w.buffer).slice(0, 1000));
      await refuseInit(cut, new RegExp(`^--init ${cut}: its weights files hold 1,000 bytes but its manifest declares [\\d,]+ \\([\\d,]+ float32 weights\\)$`));
    });

    it('refuses NaN weights in the words every reader uses', async () => {
      const nan = initFrom('nan', () => undefined, (w) => new Uint8Array(Float32Array.from(w, () => NaN).buffer));
      await refuseInit(nan, new RegExp(`^--init ${nan}: weights.bin holds NaN \\(value 1 of \\d+\\): a model with such a weight gives no probabilities$`));
    });
  });
});
