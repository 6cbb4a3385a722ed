import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromFiles, modelToFiles } from '../../../../src/saving/artifacts';
import { toTrainingData } from '../../../../src/dataset/training-data';
import { METADATA_VERSION, parseMetadata, MetadataError } from '../../../../src/saving/metadata';
import { DEFAULT_SPLIT } from '../../../../src/model/data/split';
import { runSession, trialScore, type EpochReport } from '../../../../src/model/training/session';
import { syntheticFeatures } from '../../../fixtures/features';

const SMALL = { lstmUnits: [16, 16], denseUnits: 16, dropout: 0.1, learningRate: 1e-2 };

describe('training on the CPU backend', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('learns genres that differ in their spectra (≥ 90 % on held-out clips), without leaking tensors', async () => {
    const data = toTrainingData(syntheticFeatures({ genres: 3, clipsPerGenre: 8, seconds: 9 }));
    const epochs: EpochReport[] = [];
    const r = await runSession(data, {
      model: SMALL,
      train: { epochs: 8, batchSize: 16, seed: 1, standardize: true },
      split: DEFAULT_SPLIT,
    }, { onEpoch: (e) => { epochs.push(e); } });
    expect(r.epochsCompleted).toBe(8);
    expect(r.evaluation.segmentAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.evaluation.clipAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.evaluation.clips).toBe(6); // 25 % of 8 clips per genre, by clip
    // Adam creates its slots in the first epoch; after that the count must hold still.
    const counts = epochs.slice(1).map((e) => e.numTensors);
    expect(new Set(counts).size).toBe(1);
    expect(epochs[epochs.length - 1].loss).toBeLessThan(epochs[0].loss);
    r.model.dispose();
  });

  it('stops cleanly after the current batch', async () => {
    const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 6, seconds: 9 }));
    let batches = 0;
    const r = await runSession(data, {
      model: SMALL, train: { epochs: 5, batchSize: 4, seed: 1, standardize: false }, split: DEFAULT_SPLIT,
    }, { onBatch: () => { batches++; }, shouldStop: () => batches >= 3 });
    expect(batches).toBe(3);
    expect(r.stopped).toBe(true);
    expect(r.epochsCompleted).toBe(0);
    expect(r.evaluation.segments).toBeGreaterThan(0);
    r.model.dispose();
  });

  it('a saved model reloads and gives the same predictions', async () => {
    const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 4, seconds: 6 }));
    // The tf.layers.lstm fallback path (fastLstm: false) is the one exercised here.
    const r = await runSession(data, { model: SMALL, train: { epochs: 1, batchSize: 8, seed: 3, standardize: false }, split: DEFAULT_SPLIT, fastLstm: false });
    const files = await modelToFiles(r.model);
    const json = JSON.parse(JSON.stringify(files.modelJson));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const back = await modelFromFiles(json, files.weights.slice(0));
    const x = tf.tensor3d(data.x.slice(0, 2 * 130 * 13), [2, 130, 13]);
    const a = r.model.predict(x) as tf.Tensor;
    const b = back.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    await expect(modelFromFiles(json, new ArrayBuffer(12))).rejects.toThrow(/weights\.bin has 12 bytes/);
    await expect(modelFromFiles({ nope: 1 }, files.weights)).rejects.toThrow(/not a TensorFlow\.js layers model/);
  });
});

describe('metadata', () => {
  it('round-trips through JSON and rejects what it cannot use', () => {
    const m = {
      format: 'gtzan-lab-model', version: METADATA_VERSION, genres: ['a', 'b'],
      features: { sampleRate: 22050, nMfcc: 13, nFft: 2048, hopLength: 512, nMels: 128, segments: 10, trackSeconds: 30, padMode: 'constant' },
      inputShape: [130, 13], standardization: { mean: new Array(13).fill(1), std: new Array(13).fill(2) },
      model: { ...SMALL, architecture: 'lstm' }, training: { epochs: 1, batchSize: 8, seed: 1, standardize: true, epochsCompleted: 1, backend: 'cpu' },
      split: { ...DEFAULT_SPLIT, trainSegments: 1, validationSegments: 1, testSegments: 1, testClips: 1, warnings: [] },
      metrics: { split: 'by clip', testSegmentAccuracy: 0.5, testClipAccuracy: 0.5, testLoss: 1, testClips: 1 },
      createdAt: new Date(0).toISOString(),
    };
    expect(parseMetadata(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(() => parseMetadata({ ...m, format: 'x' })).toThrow(MetadataError);
    expect(() => parseMetadata({ ...m, genres: ['a'] })).toThrow(/at least two genre/);
    expect(() => parseMetadata({ ...m, standardization: { mean: [1], std: [1] } })).toThrow(/one mean and one deviation/);
    expect(() => parseMetadata({ ...m, features: { ...m.features, nFft: 1000 } })).toThrow(/power of two/);
  });
});

describe('early stopping with the best weights', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  const paths = [
    ['the fast LSTM', { model: { ...SMALL, dropout: 0 } }],
    ['tf.layers.lstm', { model: { ...SMALL, dropout: 0 }, fastLstm: false }],
    ['the fast 2-D CNN', { model: { ...SMALL, architecture: 'cnn' as const, filters: 4, dropout: 0 } }],
  ] as const;
  for (const [name, extra] of paths) {
    it(`${name}: stops after patience epochs without a lower validation loss, and the model holds the best epoch's weights exactly`, async () => {
      const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 6, seconds: 6 }));
      const seen: { epoch: number; valLoss: number | null; weights: number[][] }[] = [];
      const r = await runSession(data, {
        ...extra, model: { ...extra.model, learningRate: 0.05 },
        train: { epochs: 40, batchSize: 4, seed: 2, standardize: true, earlyStopping: 2, schedule: 'constant' }, split: DEFAULT_SPLIT,
      }, { onEpoch: async (e, model) => { seen.push({ epoch: e.epoch, valLoss: e.valLoss, weights: await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data()))) }); } });
      expect(r.stoppedEarly).toBe(true);
      expect(r.epochsCompleted).toBeLessThan(40);
      const best = seen.reduce((b, s) => (s.valLoss! < b.valLoss! ? s : b));
      expect(r.bestEpoch).toBe(best.epoch);
      expect(r.history.at(-1)!.epoch - best.epoch).toBe(2);
      expect(r.history.at(-1)!.bestEpoch).toBe(best.epoch);
      const now = await Promise.all(r.model.getWeights().map(async (w) => Array.from(await w.data())));
      expect(now).toEqual(best.weights);
      expect(now).not.toEqual(seen.at(-1)!.weights);
      r.model.dispose();
    });
  }

  for (const [name, extra] of paths) {
    it(`${name}: a NaN training loss ends the run at that epoch, and the model goes back to the weights of the best epoch before it`, async () => {
      const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 6, seconds: 6 }));
      const size = data.frames * data.coefficients;
      const seen: { epoch: number; valLoss: number | null; weights: number[][] }[] = [];
      const r = await runSession(data, {
        ...extra, model: { ...extra.model, learningRate: 0.05 },
        // No early stopping: a diverged run stops all the same, and still keeps its best weights.
        train: { epochs: 40, batchSize: 4, seed: 2, standardize: false }, split: DEFAULT_SPLIT,
      }, {
        onEpoch: async (e, model, state) => {
          seen.push({ epoch: e.epoch, valLoss: e.valLoss, weights: await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data()))) });
          // After epoch 2 the training segments turn to NaN (unstandardised, the session trains on data.x itself).
          if (e.epoch === 2) for (const i of state.split.train) data.x.fill(NaN, i * size, (i + 1) * size);
        },
      });
      const best = seen.slice(0, 2).reduce((b, s) => (s.valLoss! < b.valLoss! ? s : b));
      expect(r.diverged).toMatchObject({ epoch: 3, loss: 'training', keptEpoch: best.epoch, kept: 'lowest validation loss' });
      expect(Number.isNaN(r.diverged!.value)).toBe(true);
      expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
      expect(r.stoppedEarly).toBe(false);
      expect(r.bestEpoch).toBe(best.epoch);
      const now = await Promise.all(r.model.getWeights().map(async (w) => Array.from(await w.data())));
      expect(now).toEqual(best.weights);
      // The test split (untouched) is scored with those weights.
      expect(r.evaluation.segments).toBeGreaterThan(0);
      expect(Number.isFinite(r.evaluation.loss)).toBe(true);
      r.model.dispose();
    });
  }

  it('a run that is NaN from its first epoch keeps nothing and is not scored; as a trial it scores 0', async () => {
    const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 6, seconds: 6 }));
    data.x.fill(NaN);
    for (const skipTest of [false, true]) {
      const r = await runSession(data, { model: SMALL, skipTest, train: { epochs: 30, batchSize: 8, seed: 1, standardize: false, earlyStopping: 3 }, split: DEFAULT_SPLIT });
      expect(r.diverged).toMatchObject({ epoch: 1, loss: 'training', keptEpoch: 0, kept: 'none' });
      expect(r.epochsCompleted).toBe(1);
      expect(r.bestEpoch).toBeUndefined();
      expect(r.evaluation.segments).toBe(0);
      expect(r.validation).toBeUndefined();
      if (skipTest) expect(trialScore(r)).toMatchObject({ valAccuracy: 0, divergedAt: 1 });
      r.model.dispose();
    }
  });

  it('a tuning trial is judged on the weights it kept: the best epoch\'s validation accuracy, with its interval over the validation clips', async () => {
    const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 6, seconds: 6 }));
    const r = await runSession(data, {
      model: { ...SMALL, dropout: 0, learningRate: 0.05 }, skipTest: true,
      train: { epochs: 40, batchSize: 4, seed: 2, standardize: true, earlyStopping: 2, schedule: 'constant' }, split: DEFAULT_SPLIT,
    });
    const score = trialScore(r);
    expect(r.evaluation.segments).toBe(0);
    expect(score.bestEpoch).toBe(r.bestEpoch);
    // The restored weights score on validation exactly what their epoch scored.
    expect(score.valAccuracy).toBe(r.history[r.bestEpoch! - 1].valAccuracy);
    expect(score.valClips).toBe(new Set(r.split.validation.map((i) => data.clipOf[i])).size);
    expect(score.valInterval!.low).toBeLessThanOrEqual(score.valAccuracy);
    expect(score.valInterval!.high).toBeGreaterThanOrEqual(score.valAccuracy);
    r.model.dispose();
  });

  it('the learning rate follows the schedule, and each epoch reports its own', async () => {
    const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 4, seconds: 6 }));
    const r = await runSession(data, { model: SMALL, train: { epochs: 4, batchSize: 8, seed: 1, standardize: false, schedule: 'cosine' }, split: DEFAULT_SPLIT });
    expect(r.history.map((h) => h.learningRate)).toEqual([0, 1, 2, 3].map((e) => 1e-2 * 0.5 * (1 + Math.cos((Math.PI * e) / 4))));
    expect(r.bestEpoch).toBeUndefined();
    r.model.dispose();
  });
});
