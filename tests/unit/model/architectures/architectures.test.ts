import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromFiles, modelToFiles } from '../../../../src/saving/artifacts';
import { buildModel } from '../../../../src/model/architectures/build';
import { ARCHITECTURES, validateConfig, type Architecture } from '../../../../src/model/architectures/config';
import { toTrainingData } from '../../../../src/dataset/training-data';
import { topologyProblem } from '../../../../src/saving/model-check';
import { runSession, type EpochReport } from '../../../../src/model/training/session';
import { DEFAULT_SPLIT } from '../../../../src/model/data/split-options';
import { syntheticFeatures } from '../../../fixtures/features';

const small = (architecture: Architecture) => ({ architecture, filters: 4, lstmUnits: [8, 8], denseUnits: 8, dropout: 0.1, learningRate: 1e-2 });

describe('the architectures beside the recipe\'s LSTM', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('each builds from 130 × 13 MFCCs to one probability per genre, and a bad choice is named', () => {
    for (const architecture of ARCHITECTURES) {
      const m = buildModel({ frames: 130, coefficients: 13, classes: 4, ...small(architecture) });
      expect(m.outputs[0].shape).toEqual([null, 4]);
      const classes = m.layers.map((l) => l.getClassName());
      if (architecture === 'cnn') expect(classes.filter((c) => c === 'Conv2D')).toHaveLength(4);
      if (architecture === 'conv1d') expect(classes.filter((c) => c === 'Conv1D')).toHaveLength(3);
      if (architecture === 'lstm') expect(classes.filter((c) => c === 'LSTM')).toHaveLength(2);
      m.dispose();
    }
    // 128 log-mel bands halve four times on the frequency axis too.
    const wide = buildModel({ frames: 130, coefficients: 128, classes: 10, ...small('cnn') });
    const pooled = wide.layers.filter((l) => l.getClassName() === 'MaxPooling2D').pop()!;
    expect(pooled.outputShape).toEqual([null, 8, 8, 32]);
    wide.dispose();
    const train = { epochs: 1, batchSize: 8, seed: 1, standardize: false };
    expect(validateConfig({ frames: 130, coefficients: 13, classes: 2, ...small('cnn'), architecture: 'transformer' as Architecture }, train)).toMatch(/Model must be one of lstm, cnn, conv1d/);
    expect(validateConfig({ frames: 130, coefficients: 13, classes: 2, ...small('cnn'), filters: 0 }, train)).toMatch(/Filters/);
  });

  for (const architecture of ['cnn', 'conv1d'] as const) {
    it(`${architecture}: trains with the loss falling, without leaking tensors, and reloads with equal predictions`, async () => {
      const data = toTrainingData(syntheticFeatures({ genres: 3, clipsPerGenre: 6, seconds: 9 }));
      const epochs: EpochReport[] = [];
      // Fixed starting weights and no dropout: the run is the same every time, so the check of a
      // falling loss cannot pass or fail by the luck of a random initialisation.
      const fixed = (c: Parameters<typeof buildModel>[0]) => {
        const m = buildModel(c);
        // Trainable weights only: batch norm's moving variance must stay positive.
        m.trainableWeights.forEach((w, i) => {
          const shape = w.shape as number[];
          w.write(tf.tidy(() => tf.sin(tf.add(tf.range(0, shape.reduce((a, b) => a * b, 1)).reshape(shape), i)).mul(0.3)));
        });
        return m;
      };
      const r = await runSession(data, {
        model: { ...small(architecture), dropout: 0 },
        train: { epochs: 6, batchSize: 8, seed: 1, standardize: true },
        split: DEFAULT_SPLIT,
        build: fixed,
      }, { onEpoch: (e) => { epochs.push(e); } });
      expect(epochs[epochs.length - 1].loss).toBeLessThan(epochs[0].loss);
      expect(new Set(epochs.slice(1).map((e) => e.numTensors)).size).toBe(1);
      const files = await modelToFiles(r.model);
      const json = JSON.parse(JSON.stringify(files.modelJson));
      expect(topologyProblem(json, { genres: data.genres })).toBeUndefined();
      const back = await modelFromFiles(json, files.weights.slice(0));
      const x = tf.tensor3d(data.x.slice(0, 3 * 130 * 13), [3, 130, 13]);
      const a = r.model.predict(x) as tf.Tensor;
      const b = back.predict(x) as tf.Tensor;
      const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      expect(diff).toBeLessThan(1e-6);
      tf.dispose([x, a, b]);
      back.dispose();
      r.model.dispose();
    });
  }
});
