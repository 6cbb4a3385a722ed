import * as tf from '@tensorflow/tfjs';
import { useNodeWasmBinaries } from '../../../../../src/model/backend/node-wasm-paths';
import { describe, expect, it } from 'vitest';
import { nodeReplicas } from '../../../../../src/cli/node-replicas';
import { buildModel } from '../../../../../src/model/architectures/build';
import { REFERENCE_MODEL, type ModelConfig } from '../../../../../src/model/architectures/config';
import { toTrainingData } from '../../../../../src/dataset/training-data';
import { specOf, type LstmSpec } from '../../../../../src/model/architectures/spec';
import { shares } from '../../../../../src/model/engines/sharded-trainer';
import { LstmModel } from '../../../../../src/model/engines/simd-lstm/lstm-model';
import { LstmTrainer, type LstmReplica } from '../../../../../src/model/engines/simd-lstm/lstm-trainer';
import { Replica } from '../../../../../src/model/parallel/replica';
import { channelWorker } from '../../../../../src/model/parallel/replica-channel';
import { runSession } from '../../../../../src/model/training/session';
import { DEFAULT_SPLIT } from '../../../../../src/model/data/split';
import { syntheticFeatures } from '../../../../fixtures/features';

useNodeWasmBinaries();

const config: ModelConfig = { ...REFERENCE_MODEL, lstmUnits: [16, 16], denseUnits: 8, dropout: 0, frames: 30, coefficients: 13, classes: 3, learningRate: 1e-2 };

/** A model whose weights are the same on every call (no random initialisation to match). */
function fixedModel(): tf.LayersModel {
  const model = buildModel(config);
  model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.sin(tf.add(tf.range(0, w.size).reshape(w.shape), i)).mul(0.2))));
  return model;
}

/** A replica in this thread: the helper's code without the thread. */
function inThread(): LstmReplica {
  const replica = new Replica(config);
  return { gradients: (req) => replica.gradients(req), predict: (req) => replica.predict(req), dispose: () => replica.dispose() };
}

function batch(rows: number, seed: number): { values: Float32Array; labels: Float32Array } {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
  return { values: Float32Array.from({ length: rows * 30 * 13 }, next), labels: Float32Array.from({ length: rows }, (_, i) => i % 3) };
}

async function trainSteps(helpers: LstmReplica[]): Promise<{ weights: Float32Array[]; losses: number[] }> {
  const model = fixedModel();
  const fast = new LstmModel(model, specOf(config) as LstmSpec);
  const trainer = new LstmTrainer(fast, config.learningRate, helpers);
  const losses: number[] = [];
  for (let step = 0; step < 4; step++) {
    const { values, labels } = batch(32, step + 1);
    losses.push((await trainer.step(values, labels, 32, 30, 13))[0]);
  }
  const weights = await fast.weights();
  trainer.dispose();
  model.dispose();
  return { weights, losses };
}

/** A small dataset and a small LSTM to run whole sessions on, `epochs` long. */
function smallSession(epochs: number) {
  const data = toTrainingData(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }));
  const options = { model: { ...REFERENCE_MODEL, lstmUnits: [8, 8], denseUnits: 8, dropout: 0, learningRate: 1e-2 }, train: { epochs, batchSize: 8, seed: 1, standardize: true }, split: DEFAULT_SPLIT };
  return { data, options };
}

describe('data-parallel training', () => {
  it('cuts a batch into even contiguous shares, the larger first', () => {
    expect(shares(32, 2)).toEqual([[0, 16], [16, 32]]);
    expect(shares(10, 3)).toEqual([[0, 4], [4, 7], [7, 10]]);
    expect(shares(2, 4)).toEqual([[0, 1], [1, 2]]);
  });

  for (const backend of ['wasm', 'cpu']) {
    it(`a batch of 32 on 1, 2 and 3 threads is the same update (${backend}), the same weights to the last bit after 4 steps`, async () => {
      await tf.setBackend(backend);
      await tf.ready();
      const one = await trainSteps([]);
      const two = await trainSteps([inThread()]);
      const three = await trainSteps([inThread(), inThread()]);
      expect(one.losses[3]).toBeLessThan(one.losses[0]);
      expect(two.weights.map((w) => Array.from(w))).toEqual(one.weights.map((w) => Array.from(w)));
      expect(three.weights.map((w) => Array.from(w))).toEqual(one.weights.map((w) => Array.from(w)));
      two.losses.forEach((l, i) => { expect(l).toBeCloseTo(one.losses[i], 5); });
    });
  }

  it('shares prediction (validation, test) between threads like a batch: the same probabilities, row for row', async () => {
    await tf.setBackend('wasm');
    const model = fixedModel();
    const one = new LstmTrainer(new LstmModel(model, specOf(config) as LstmSpec), config.learningRate);
    const three = new LstmTrainer(new LstmModel(model, specOf(config) as LstmSpec), config.learningRate, [inThread(), inThread()]);
    const { values } = batch(11, 7);
    const a = await one.predict(values, 11, 30, 13);
    const b = await three.predict(values, 11, 30, 13);
    expect(a.length).toBe(11 * 3);
    expect(b.length).toBe(11 * 3);
    // Each row a distribution, and the same whichever thread computed it.
    for (let r = 0; r < 11; r++) expect(a[3 * r] + a[3 * r + 1] + a[3 * r + 2]).toBeCloseTo(1, 5);
    let worst = 0;
    a.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - b[i])); });
    expect(worst).toBeLessThan(1e-6);
    three.dispose();
    model.dispose();
  });

  it('on real worker threads the update is the same too', async () => {
    await tf.setBackend('wasm');
    const one = await trainSteps([]);
    const threaded = await trainSteps(nodeReplicas(1, config, 'wasm'));
    expect(threaded.weights.map((w) => Array.from(w))).toEqual(one.weights.map((w) => Array.from(w)));
  }, 60_000);

  it('runs a whole training session with a helper thread', async () => {
    await tf.setBackend('wasm');
    const { data, options } = smallSession(2);
    let threads = 0;
    const r = await runSession(data, { ...options, helpers: (c) => { threads++; return nodeReplicas(1, c, 'wasm'); } });
    expect(threads).toBe(1);
    expect(r.epochsCompleted).toBe(2);
    expect(r.history[1].loss).toBeLessThan(r.history[0].loss * 1.5);
    expect(r.evaluation.segments).toBe(r.split.test.length);
    r.model.dispose();
  }, 60_000);

  it('a helper thread that fails before its first job (its script did not load) ends the run with its error, not a hang', async () => {
    await tf.setBackend('wasm');
    const { data, options } = smallSession(1);
    let posted = 0;
    // A port as a Worker whose module 404s: it errors once, at start, and never answers.
    const deadThread = () => channelWorker({
      post: () => void posted++,
      listen: (_, onFailure) => onFailure('training thread 1 could not start: its script did not load', false),
      end: async () => undefined,
    });
    await expect(runSession(data, { ...options, helpers: () => [deadThread()] })).rejects.toThrow('training thread 1 could not start: its script did not load');
    expect(posted).toBe(0);
  }, 60_000);
});
