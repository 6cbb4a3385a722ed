import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON_MODULE, pythonFilesSource } from '../../../scripts/python-files';
import { modelToFiles } from '../../../src/saving/artifacts';
import { toTrainingData } from '../../../src/dataset/training-data';
import { makeMetadata } from '../../../src/model/training/make-metadata';
import { zipModel } from '../../../src/saving/model-zip';
import { DEFAULT_SPLIT } from '../../../src/model/data/split';
import { runSession, type SessionOptions } from '../../../src/model/training/session';
import { encodeWav, synthClip } from '../../fixtures/audio';
import { loadReference, maxAbsDiff, REFERENCE_DIR } from '../../fixtures/reference';
import { syntheticFeatures } from '../../fixtures/features';
import { pythonWithNumpy } from '../../support/python';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));

interface Prediction { genres: string[]; clip: number[]; segments: number[][]; seconds: number }

describe('predict.py: the model in Python with numpy and soundfile alone', () => {
  let python: string;
  let dir: string;
  beforeAll(() => {
    python = pythonWithNumpy();
    dir = mkdtempSync(join(tmpdir(), 'gtzan-python-'));
  });

  it('computes the recipe\'s MFCCs within 2e-3 of librosa\'s (shared/reference), both paddings', async () => {
    const ref = loadReference();
    const music = 'music30_22050_pcm16.wav';
    const audio = join(REFERENCE_DIR, 'audio', music);
    const ten = JSON.parse((await run(python, ['python/predict.py', '--mfcc', audio], { cwd: root, maxBuffer: 64 << 20 })).stdout) as number[][][];
    const expected = ref.cases[music].segments10!;
    expect(ten).toHaveLength(10);
    for (let s = 0; s < 10; s++) expect(maxAbsDiff(ten[s].flat(), expected[s].data)).toBeLessThan(2e-3);
    const settings = join(dir, 'reflect.json');
    writeFileSync(settings, JSON.stringify({ segments: 5, padMode: 'reflect' }));
    const five = JSON.parse((await run(python, ['python/predict.py', '--mfcc', audio, '--settings', settings], { cwd: root, maxBuffer: 64 << 20 })).stdout) as number[][][];
    const reflect = ref.cases[music].segments_pad_reflect!;
    expect(five).toHaveLength(5);
    for (let s = 0; s < 5; s++) expect(maxAbsDiff(five[s].flat(), reflect[s].data)).toBeLessThan(2e-3);
  });

  it('the zip carries predict.py, whose clip and segment probabilities equal npm run predict\'s within 1e-4', async () => {
    await tf.setBackend('cpu');
    const set = syntheticFeatures({ genres: 3, clipsPerGenre: 6, seconds: 9 });
    const data = toTrainingData(set);
    const options: SessionOptions = {
      model: { lstmUnits: [12, 12], denseUnits: 12, dropout: 0.1, learningRate: 1e-2 },
      train: { epochs: 3, batchSize: 16, seed: 1, standardize: true },
      split: DEFAULT_SPLIT,
    };
    const r = await runSession(data, options);
    const files = await modelToFiles(r.model);
    const zip = join(dir, 'model.zip');
    writeFileSync(zip, zipModel(files, makeMetadata(data, set.settings, options, r, r.evaluation, 'cpu')));
    // Unzipped as a user would, predict.py runs from its own folder.
    const unzipped = join(dir, 'unzipped');
    mkdirSync(unzipped);
    for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(readFileSync(zip))))) writeFileSync(join(unzipped, name), bytes);
    expect(readFileSync(join(unzipped, 'README.txt'), 'utf8')).toMatch(/tensorflowjs_converter --input_format tfjs_layers_model --output_format keras/);
    // A mono 16-bit clip at the model's rate, and a stereo float one at 44.1 kHz (resampled).
    const stereo = synthClip(1, 7, 44100, 8);
    const interleaved = new Float32Array(stereo.length * 2).map((_, i) => stereo[i >> 1] * (i & 1 ? 0.5 : 1));
    const clips = {
      'mono.wav': encodeWav({ samples: synthClip(2, 9, 22050, 77), sampleRate: 22050 }),
      'stereo44.wav': encodeWav({ samples: interleaved, sampleRate: 44100, channels: 2, format: 'f32' }),
    };
    for (const [name, bytes] of Object.entries(clips)) {
      const clip = join(dir, name);
      writeFileSync(clip, bytes);
      const py = JSON.parse((await run(python, [join(unzipped, 'predict.py'), clip, '--json'], { cwd: dir })).stdout) as Prediction;
      const node = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', zip, clip, '--json'], { cwd: root });
      expect(node.stderr).toBe('');
      const js = JSON.parse(node.stdout) as Prediction;
      expect(py.genres).toEqual(js.genres);
      expect(py.segments).toHaveLength(js.segments.length);
      expect(maxDiff([py.clip], [js.clip]), name).toBeLessThan(1e-4);
      expect(maxDiff(py.segments, js.segments), name).toBeLessThan(1e-4);
      expect(py.seconds).toBeCloseTo(js.seconds, 6);
    }
    // The printed answer: the clip's top genres, then each segment.
    const text = (await run(python, [join(unzipped, 'predict.py'), zip, join(dir, 'mono.wav')], { cwd: dir })).stdout.trim().split('\n');
    expect(text[0]).toMatch(/mono\.wav: 9\.0 s, 3 segments$/);
    expect(text[1]).toMatch(/^\w+\s+[\d.]+ %$/);
    expect(text.filter((l) => /^\s+[\d.]+–\s*[\d.]+ s\s+\w+\s+[\d.]+ %$/.test(l))).toHaveLength(3);
    r.model.dispose();
  });

  const cases = [['cnn', 'mfcc'], ['conv1d', 'mfcc'], ['cnn', 'logmel']] as const;
  for (const [architecture, featureType] of cases) {
    it(`a ${architecture} model on ${featureType}: predict.py's probabilities equal npm run predict's within 1e-4`, async () => {
      await tf.setBackend('cpu');
      const settings = featureType === 'logmel' ? { featureType, nMels: 64 } as const : {};
      const set = syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6, settings });
      expect(set.coefficients).toBe(featureType === 'logmel' ? 64 : 13);
      const data = toTrainingData(set);
      const options: SessionOptions = {
        model: { architecture, filters: 4, lstmUnits: [4, 4], denseUnits: 8, dropout: 0.1, learningRate: 1e-2 },
        train: { epochs: 2, batchSize: 8, seed: 1, standardize: true },
        split: DEFAULT_SPLIT,
      };
      const r = await runSession(data, options);
      const zip = join(dir, `${architecture}-${featureType}.zip`);
      writeFileSync(zip, zipModel(await modelToFiles(r.model), makeMetadata(data, set.settings, options, r, r.evaluation, 'cpu')));
      const clip = join(dir, `${architecture}.wav`);
      writeFileSync(clip, encodeWav({ samples: synthClip(1, 9, 22050, 5), sampleRate: 22050 }));
      const py = JSON.parse((await run(python, ['python/predict.py', zip, clip, '--json'], { cwd: root })).stdout) as Prediction;
      const js = JSON.parse((await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', zip, clip, '--json'], { cwd: root })).stdout) as Prediction;
      expect(py.segments).toHaveLength(3);
      expect(maxDiff(py.segments, js.segments)).toBeLessThan(1e-4);
      expect(maxDiff([py.clip], [js.clip])).toBeLessThan(1e-4);
      r.model.dispose();
    });
  }

  it('npm run predict prints the answer only: no TensorFlow.js banner', async () => {
    const { stdout, stderr } = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', join(dir, 'model.zip'), join(dir, 'mono.wav')], { cwd: root });
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/TensorFlow\.js|tfjs-node/);
    expect(stdout.trim().split('\n')).toHaveLength(4);
  });

  it('src/generated/python-files.ts carries python/ as it is (npm run build:python)', () => {
    expect(readFileSync(PYTHON_MODULE, 'utf8')).toBe(pythonFilesSource());
  });
});
