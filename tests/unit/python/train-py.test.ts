/**
 * python/train.py: PyTorch trains the lab's architectures on the lab's .npz and writes the lab's
 * model files, which TensorFlow.js loads and which predict what PyTorch predicted; one and two
 * processes (torchrun, gloo) give the same weights; its presets are the lab's.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featuresToNpz } from '../../../src/dataset/npz';
import type { FeatureSet } from '../../../src/dataset/feature-set';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { modelFromFiles } from '../../../src/saving/artifacts';
import { parseMetadata } from '../../../src/saving/metadata';
import { PRESETS } from '../../../src/model/training/presets';
import { encodeWav, synthClip } from '../../fixtures/audio';
import { pythonWithTorch } from '../../support/python';

const ROOT = resolve(__dirname, '../../..');
const TRAIN_PY = join(ROOT, 'python/train.py');
interface Prediction { clip: number[]; segments: number[][] }
const GENRES = ['blues', 'classical', 'rock'];

/** 3 genres × 8 clips × 2 segments of [130, 13], each genre its own level and slope; a seeded LCG. */
function featureSet(): FeatureSet {
  let s = 7;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) - 0.5;
  };
  const clips = GENRES.flatMap((genre, g) => Array.from({ length: 8 }, (_, c) => ({
    path: `${genre}/${genre}.${String(c).padStart(5, '0')}.wav`,
    genre,
    segments: Array.from({ length: 2 }, () => Float32Array.from({ length: 130 * 13 }, (_, i) => g * 0.8 + ((i % 13) / 13) * (g - 1) + rand())),
  })));
  return { settings: { ...DEFAULT_SETTINGS }, genres: GENRES, frames: 130, coefficients: 13, clips };
}

function writeNpz(dir: string): string {
  const set = featureSet();
  const paths = set.clips.map((c) => c.path);
  const side = (i: number) => (i % 8 < 5 ? 'train' : i % 8 < 7 ? 'validation' : 'test');
  const npz = featuresToNpz(set, {
    train: paths.filter((_, i) => side(i) === 'train'), validation: paths.filter((_, i) => side(i) === 'validation'),
    test: paths.filter((_, i) => side(i) === 'test'), info: { mode: 'clip', seed: 1 },
  });
  const path = join(dir, 'features.npz');
  writeFileSync(path, npz);
  return path;
}

function settingsFile(dir: string, model: object, training: object): string {
  const path = join(dir, `settings-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ model, training }));
  return path;
}

function train(args: string[]): string {
  return execFileSync(pythonWithTorch(), [TRAIN_PY, ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

// A copy: a small file's Buffer sits in Node's shared pool, whose .buffer holds other bytes too.
const weightsOf = (out: string) => new Float32Array(new Uint8Array(readFileSync(join(out, 'weights.bin'))).buffer);

describe('python/train.py', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtzan-train-py-'));
  const npz = writeNpz(dir);

  it('holds the lab\'s presets', () => {
    const py = JSON.parse(execFileSync(pythonWithTorch(), [TRAIN_PY, '--presets-json'], { encoding: 'utf8' }));
    for (const [name, preset] of Object.entries(PRESETS)) {
      expect(py[name], name).toEqual({ features: preset.features, model: preset.model, train: preset.train });
    }
  });

  for (const architecture of ['lstm', 'cnn', 'conv1d'] as const) {
    it(`trains the ${architecture} on the lab's .npz and split; the lab loads the model and predicts what PyTorch did within 1e-4`, async () => {
      const out = join(dir, architecture);
      const settings = settingsFile(dir, { architecture, lstmUnits: [8, 8], denseUnits: 8, dropout: 0.3, learningRate: 1e-2, filters: 4 },
        { epochs: 2, batchSize: 8, standardize: true });
      const said = train([npz, '--out', out, '--settings', settings, '--threads', '1']);
      expect(said).toMatch(/test accuracy: [\d.]+ % per clip \(95 % interval [\d.]+–[\d.]+ %, 3 clips\)/);
      const metadata = parseMetadata(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')));
      expect(metadata.split.testClipNames).toEqual(GENRES.map((g) => `${g}/${g}.00007.wav`).sort());
      expect(metadata.training.epochsCompleted).toBe(2);
      expect(metadata.metrics?.testBalancedClipInterval).toHaveLength(2);
      const model = await modelFromFiles(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')), new Uint8Array(readFileSync(join(out, 'weights.bin'))).buffer);
      const set = featureSet();
      const test = set.clips.filter((c) => metadata.split.testClipNames.includes(c.path)).flatMap((c) => c.segments);
      const { mean, std } = metadata.standardization!;
      const x = tf.tensor3d(test.flatMap((seg) => Array.from(seg, (v, i) => (v - mean[i % 13]) / std[i % 13])), [test.length, 130, 13]);
      const lab = (model.predict(x) as tf.Tensor).arraySync() as number[][];
      const torch = JSON.parse(readFileSync(join(out, 'test-probabilities.json'), 'utf8')) as number[][];
      expect(lab.length).toBe(torch.length);
      let worst = 0;
      lab.forEach((row, i) => { row.forEach((p, k) => { worst = Math.max(worst, Math.abs(p - torch[i][k])); }); });
      console.log(`${architecture}: PyTorch against TensorFlow.js, largest difference of a probability ${worst.toExponential(1)}`);
      expect(worst).toBeLessThan(1e-4);
      // Its zip classifies a clip the same in predict.py (numpy) and npm run predict (tfjs).
      const clip = join(dir, `${architecture}.wav`);
      writeFileSync(clip, encodeWav({ samples: synthClip(1, 9, 22050, 5), sampleRate: 22050 }));
      const py = JSON.parse(execFileSync(pythonWithTorch(), ['python/predict.py', join(out, 'model.zip'), clip, '--json'], { cwd: ROOT, encoding: 'utf8' })) as Prediction;
      const js = JSON.parse(execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', join(out, 'model.zip'), clip, '--json'], { cwd: ROOT, encoding: 'utf8' })) as Prediction;
      expect(py.segments).toHaveLength(3);
      expect(Math.max(...py.segments.flatMap((row, i) => row.map((v, k) => Math.abs(v - js.segments[i][k]))))).toBeLessThan(1e-4);
    });
  }

  it('gives the same weights on 1 and 2 processes (DistributedDataParallel, gloo) within 1e-4', () => {
    const settings = settingsFile(dir, { architecture: 'lstm', lstmUnits: [8, 8], denseUnits: 8, dropout: 0, learningRate: 1e-2 }, { epochs: 2, batchSize: 8, standardize: true });
    train([npz, '--out', join(dir, 'one'), '--settings', settings, '--threads', '1']);
    const said = train([npz, '--out', join(dir, 'two'), '--settings', settings, '--threads', '1', '--processes', '2']);
    expect(JSON.parse(readFileSync(join(dir, 'two', 'metadata.json'), 'utf8')).training.backend).toMatch(/\(2 processes\)/);
    expect(said).toMatch(/epoch 2\/2/);
    const [a, b] = [weightsOf(join(dir, 'one')), weightsOf(join(dir, 'two'))];
    expect(a.length).toBe(b.length);
    let worst = 0;
    a.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - b[i])); });
    console.log(`1 against 2 processes: largest difference of a weight ${worst.toExponential(1)}`);
    expect(worst).toBeLessThan(1e-4);
  });
});
