import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { MfccExtractor } from '../../../src/dsp/mfcc';
import { segmentMfccs } from '../../../src/dsp/segments';
import { modelToFiles } from '../../../src/saving/artifacts';
import { classifySegments, modelMismatch, ranked } from '../../../src/evaluation/classify';
import { toTrainingData } from '../../../src/dataset/training-data';
import { makeMetadata } from '../../../src/model/training/make-metadata';
import type { ModelMetadata } from '../../../src/saving/metadata';
import { zipModel } from '../../../src/saving/model-zip';
import { DEFAULT_SPLIT } from '../../../src/model/data/split';
import { runSession, type SessionOptions } from '../../../src/model/training/session';
import { encodeWav, synthClip } from '../../fixtures/audio';
import { syntheticFeatures } from '../../fixtures/features';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

describe('classifying new audio', () => {
  let model: tf.LayersModel;
  let metadata: ModelMetadata;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const set = syntheticFeatures({ genres: 3, clipsPerGenre: 8, seconds: 9 });
    const data = toTrainingData(set);
    const options: SessionOptions = {
      model: { lstmUnits: [16, 16], denseUnits: 16, dropout: 0.1, learningRate: 1e-2 },
      train: { epochs: 8, batchSize: 16, seed: 1, standardize: true },
      split: DEFAULT_SPLIT,
    };
    const r = await runSession(data, options);
    model = r.model;
    metadata = makeMetadata(data, set.settings, options, r, r.evaluation, 'cpu');
  }, 120_000);

  it('puts the right genre on top of a new clip, with probabilities that sum to 1', async () => {
    // Seed 99 was never in the training set.
    const segments = segmentMfccs(synthClip(2, 12, 22050, 99), new MfccExtractor(metadata.features), { wholeSignal: true });
    expect(segments).toHaveLength(4);
    const c = await classifySegments(model, metadata, segments);
    expect(c.segments).toHaveLength(4);
    expect(c.clip.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(ranked(c)[0].genre).toBe(metadata.genres[2]);
  });

  it('explains a model whose input does not fit its metadata, and a clip too short', async () => {
    expect(modelMismatch(model, { ...metadata, inputShape: [259, 13] })).toMatch(/takes input \[130,13\].*\[259, 13\]/);
    expect(modelMismatch(model, { ...metadata, genres: ['a', 'b'] })).toMatch(/3 outputs but its metadata names 2 genres/);
    await expect(classifySegments(model, metadata, [])).rejects.toThrow(/shorter than one segment/);
  });

  it('npm run predict prints the top genres from a model folder or the zip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-predict-'));
    const files = await modelToFiles(model);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(files.modelJson));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(files.weights));
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify(metadata));
    writeFileSync(join(dir, 'model.zip'), zipModel(files, metadata));
    writeFileSync(join(dir, 'clip.wav'), encodeWav({ samples: synthClip(1, 9, 22050, 77), sampleRate: 22050 }));
    for (const source of [dir, join(dir, 'model.zip')]) {
      const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', source, join(dir, 'clip.wav')], { cwd: root });
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toMatch(/clip\.wav: 9\.0 s, 3 segments/);
      expect(lines[1]).toMatch(new RegExp(`^${metadata.genres[1]}\\s+[\\d.]+ %$`));
      expect(lines).toHaveLength(4);
    }
    const bad = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', join(dir, 'nope'), join(dir, 'clip.wav')], { cwd: root })
      .then(() => undefined, (e: { stderr: string }) => e.stderr);
    expect(bad).toMatch(/no such file|missing/i);
  });
});
