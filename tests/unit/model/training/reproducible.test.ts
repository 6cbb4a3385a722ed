import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nodeReplicas } from '../../../../src/cli/node-replicas';
import { toTrainingData } from '../../../../src/dataset/training-data';
import type { ModelConfig } from '../../../../src/model/architectures/config';
import { DEFAULT_SPLIT } from '../../../../src/model/data/split';
import { runSession, type SessionOptions } from '../../../../src/model/training/session';
import { syntheticFeatures } from '../../../fixtures/features';
import { useNodeWasmBinaries } from '../../../../src/model/backend/node-wasm-paths';

useNodeWasmBinaries();

const data = toTrainingData(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }));
const AUGMENT = { timeMask: 8, freqMask: 2, shift: 4 };

/** Small versions of the lab's three models, with dropout and augmentation: everything random a run has. */
const MODELS: Record<string, SessionOptions['model']> = {
  lstm: { architecture: 'lstm', lstmUnits: [8, 8], denseUnits: 8, dropout: 0.3, learningRate: 1e-2 },
  cnn: { architecture: 'cnn', filters: 4, lstmUnits: [8], denseUnits: 8, dropout: 0.3, learningRate: 1e-2 },
  conv1d: { architecture: 'conv1d', filters: 4, lstmUnits: [8], denseUnits: 8, dropout: 0.3, learningRate: 1e-2 },
};

interface Run { weights: number[][]; testAccuracy: number; path: string; threads: number }

async function train(model: SessionOptions['model'], seed: number, extra: Partial<SessionOptions> = {}, threads = 1): Promise<Run> {
  let info = { path: '', threads: 0 };
  const r = await runSession(data, {
    model, train: { epochs: 2, batchSize: 8, seed, standardize: true, augment: AUGMENT }, split: { ...DEFAULT_SPLIT, seed }, ...extra,
    ...(threads > 1 ? { helpers: (c: ModelConfig) => nodeReplicas(threads - 1, c, tf.getBackend()) } : {}),
  }, { onTrainer: (i) => { info = i; } });
  const weights = r.model.getWeights().map((w) => Array.from(w.dataSync()));
  r.model.dispose();
  return { weights, testAccuracy: r.evaluation.segmentAccuracy, ...info };
}

describe('a seed fixes the run: the same seed, data and settings give the same weights to the last bit', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name} on its fast path (WASM): twice the same, another seed different`, async () => {
      await tf.setBackend('wasm');
      const a = await train(model, 17);
      const b = await train(model, 17);
      const c = await train(model, 18);
      expect(a.path).toBe(name === 'lstm' ? 'fast-lstm' : 'fast-cnn');
      expect(b.weights).toEqual(a.weights);
      expect(b.testAccuracy).toBe(a.testAccuracy);
      expect(c.weights).not.toEqual(a.weights);
    }, 120_000);
  }

  it('the LSTM through tfjs\'s layers (tf.layers.lstm, dropout seeded per step): twice the same', async () => {
    await tf.setBackend('cpu');
    const a = await train(MODELS.lstm, 4, { fastLstm: false });
    const b = await train(MODELS.lstm, 4, { fastLstm: false });
    expect(a.path).toBe('tfjs');
    expect(b.weights).toEqual(a.weights);
    const c = await train(MODELS.lstm, 5, { fastLstm: false });
    expect(c.weights).not.toEqual(a.weights);
  }, 120_000);

  it('the 2-D CNN on 1 and 2 threads: the same weights (dropout drawn by row, not by thread)', async () => {
    await tf.setBackend('wasm');
    const one = await train(MODELS.cnn, 23);
    const two = await train(MODELS.cnn, 23, {}, 2);
    expect(two.threads).toBe(2);
    expect(two.weights).toEqual(one.weights);
  }, 120_000);

  it('the LSTM on 1 and 2 threads: the same weights (gradients added group by group in order)', async () => {
    await tf.setBackend('wasm');
    const one = await train(MODELS.lstm, 29);
    const two = await train(MODELS.lstm, 29, {}, 2);
    expect(two.threads).toBe(2);
    expect(two.weights).toEqual(one.weights);
  }, 120_000);
});
