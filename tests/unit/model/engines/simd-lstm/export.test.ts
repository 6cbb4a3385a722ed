import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { modelFromFiles, modelToFiles } from '../../../../../src/saving/artifacts';
import { toTrainingData } from '../../../../../src/dataset/training-data';
import { specOfModel } from '../../../../../src/model/architectures/spec-of-model';
import type { LstmSpec } from '../../../../../src/model/architectures/spec';
import { LstmModel } from '../../../../../src/model/engines/simd-lstm/lstm-model';
import { runSession } from '../../../../../src/model/training/session';
import { DEFAULT_SPLIT } from '../../../../../src/model/data/split';
import { syntheticFeatures } from '../../../../fixtures/features';

describe('a model trained with the fast path', () => {
  it('exports as a plain layers model with standard lstm layers that predicts the same', async () => {
    await tf.setBackend('cpu');
    const data = toTrainingData(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }));
    const r = await runSession(data, {
      model: { lstmUnits: [12, 12], denseUnits: 8, dropout: 0.2, learningRate: 1e-2 },
      train: { epochs: 2, batchSize: 8, seed: 5, standardize: true },
      split: DEFAULT_SPLIT,
      fastLstm: true,
    });
    const files = await modelToFiles(r.model);
    const layers = (files.modelJson.modelTopology as { config: { layers: { class_name: string }[] } }).config.layers.map((l) => l.class_name);
    expect(layers).toEqual(['LSTM', 'LSTM', 'Dense', 'Dropout', 'Dense']);
    const loaded = await modelFromFiles(JSON.parse(JSON.stringify(files.modelJson)), files.weights.slice(0));
    const x = tf.tensor3d(data.x.slice(0, 4 * 130 * 13), [4, 130, 13]);
    // The loaded model is recognised as the lab's LSTM, and the SIMD engine predicts what tfjs does from its files.
    const fast = new LstmModel(r.model, specOfModel(loaded) as LstmSpec);
    const a = await fast.predictValues(data.x.slice(0, 4 * 130 * 13), 4, 130, 13);
    const b = (loaded.predict(x) as tf.Tensor);
    const bv = b.dataSync();
    a.forEach((v, i) => { expect(Math.abs(v - bv[i])).toBeLessThan(1e-5); });
    tf.dispose([x, b]);
    loaded.dispose();
    r.model.dispose();
  });
});
