import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { toTrainingData } from '../../../../src/dataset/training-data';
import { runSession, type EpochReport } from '../../../../src/model/training/session';
import { DEFAULT_SPLIT } from '../../../../src/model/data/split';
import { syntheticFeatures } from '../../../fixtures/features';

describe('a long run', () => {
  it('20 epochs: tensors and bytes held do not grow from one epoch to the next', async () => {
    await tf.setBackend('cpu');
    const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 4, seconds: 6 }));
    const before = tf.memory().numTensors;
    const epochs: EpochReport[] = [];
    const r = await runSession(data, {
      model: { lstmUnits: [8, 8], denseUnits: 8, dropout: 0.2, learningRate: 1e-2 },
      train: { epochs: 20, batchSize: 4, seed: 9, standardize: true },
      split: DEFAULT_SPLIT,
    }, { onEpoch: (e) => { epochs.push(e); } });
    expect(epochs).toHaveLength(20);
    // Adam's slots appear during the first epoch; from then on nothing may accumulate.
    expect(new Set(epochs.slice(1).map((e) => e.numTensors)).size).toBe(1);
    expect(new Set(epochs.slice(1).map((e) => e.numBytes)).size).toBe(1);
    r.model.dispose();
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2); // tfjs's compile keeps 2 per model
  });
});
