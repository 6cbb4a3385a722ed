import * as tf from '@tensorflow/tfjs';
import { useNodeWasmBinaries } from '../../../../../src/model/backend/node-wasm-paths';
import { describe, expect, it } from 'vitest';
import { nodeReplicas } from '../../../../../src/cli/node-replicas';
import { buildModel } from '../../../../../src/model/architectures/build';
import type { Architecture, ModelConfig } from '../../../../../src/model/architectures/config';
import { toTrainingData } from '../../../../../src/dataset/training-data';
import { specOf, type CnnSpec } from '../../../../../src/model/architectures/spec';
import { CnnModel } from '../../../../../src/model/engines/simd-cnn/cnn-model';
import { cnnPlanOf } from '../../../../../src/model/engines/simd-cnn/cnn-plan';
import { CnnTrainer } from '../../../../../src/model/engines/simd-cnn/cnn-trainer';
import { Replica, type ThreadReplica } from '../../../../../src/model/parallel/replica';
import { evaluatePredictions } from '../../../../../src/evaluation/evaluate';
import { runSession } from '../../../../../src/model/training/session';
import { DEFAULT_SPLIT } from '../../../../../src/model/data/split';
import { syntheticFeatures } from '../../../../fixtures/features';

useNodeWasmBinaries();

const configOf = (architecture: Architecture): ModelConfig => ({
  frames: 40, coefficients: 16, classes: 3, architecture, filters: 8, lstmUnits: [4], denseUnits: 12, dropout: 0, learningRate: 1e-2,
});

/** A model whose weights are the same on every call (moving variances positive). */
function fixedModel(config: ModelConfig): tf.LayersModel {
  const model = buildModel(config);
  model.setWeights(model.weights.map((w, i) => tf.tidy(() => {
    const wave = tf.sin(tf.add(tf.range(0, w.shape.reduce((a: number, b) => a * (b ?? 1), 1)).reshape(w.shape as number[]), i));
    return w.name.includes('moving_variance') ? tf.add(1, tf.mul(wave, 0.5)) : tf.mul(wave, 0.3);
  })));
  return model;
}

/** A replica in this thread: the helper's code without the thread (stages by messages only: shared memory would wait on itself). */
function inThread(config: ModelConfig): ThreadReplica {
  const r = new Replica(config);
  return {
    gradients: (req) => r.gradients(req), predict: (req) => r.predict(req),
    stageBegin: async (req) => r.stageBegin(req), stageNext: async (req) => r.stageNext(req), dispose: () => r.dispose(),
    stageRun: () => Promise.reject(new Error('a replica in this thread takes its stages by messages')),
  };
}

/** The SIMD CNN of a model built from `config`. */
const cnnOf = (model: tf.LayersModel, config: ModelConfig) => new CnnModel(model, cnnPlanOf(specOf(config) as CnnSpec)!);

function batch(rows: number, seed: number): { values: Float32Array; labels: Float32Array } {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
  return { values: Float32Array.from({ length: rows * 40 * 16 }, next), labels: Float32Array.from({ length: rows }, (_, i) => i % 3) };
}

async function trainSteps(config: ModelConfig, helpers: ThreadReplica[], shared = true) {
  const model = fixedModel(config);
  const fast = cnnOf(model, config);
  const trainer = new CnnTrainer(fast, config.learningRate, helpers, shared);
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    const { values, labels } = batch(13, 1);
    losses.push((await trainer.step(values, labels, 13, 40, 16))[0]);
  }
  const weights = [...await fast.weights(), ...await fast.state()].map((w) => w.slice());
  const probs = await trainer.predict(batch(7, 9).values, 7, 40, 16);
  trainer.dispose();
  model.dispose();
  return { weights, losses, probs };
}

function worst(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let w = 0;
  a.forEach((x, i) => { Array.from(x).forEach((v, k) => { w = Math.max(w, Math.abs(v - b[i][k])); }); });
  return w;
}

describe('data-parallel CNNs, batch normalisation synchronised', () => {
  for (const architecture of ['cnn', 'conv1d'] as const) {
    it(`${architecture}: a batch of 13 on 1, 2 and 3 threads is the same update: weights, moving statistics, losses and predictions`, async () => {
      await tf.setBackend('cpu');
      const config = configOf(architecture);
      const one = await trainSteps(config, []);
      const two = await trainSteps(config, [inThread(config)], false);
      const three = await trainSteps(config, [inThread(config), inThread(config)], false);
      expect(one.losses[2]).toBeLessThan(one.losses[0]);
      expect(worst(two.weights, one.weights)).toBeLessThan(1e-5);
      expect(worst(three.weights, one.weights)).toBeLessThan(1e-5);
      expect(worst([two.probs, three.probs], [one.probs, one.probs])).toBeLessThan(1e-6);
      two.losses.forEach((l, i) => { expect(l).toBeCloseTo(one.losses[i], 5); });
    });
  }

  it('on real worker threads the update is the same too, the stages handed over in shared memory or by messages', async () => {
    await tf.setBackend('wasm');
    const config = configOf('cnn');
    const one = await trainSteps(config, []);
    const shared = await trainSteps(config, nodeReplicas(2, config, 'wasm'));
    const messages = await trainSteps(config, nodeReplicas(2, config, 'wasm'), false);
    expect(worst(shared.weights, one.weights)).toBeLessThan(1e-5);
    expect(worst(messages.weights, one.weights)).toBeLessThan(1e-5);
    expect(worst([shared.probs], [one.probs])).toBeLessThan(1e-6);
  }, 60_000);

  it('a helper thread that fails mid-step ends the step with its error, not a wait for ever', async () => {
    await tf.setBackend('wasm');
    const config = configOf('conv1d');
    const fast = cnnOf(fixedModel(config), config);
    // A thread whose replica knows another model: its stages do not fit, and it says so through the exchange.
    const trainer = new CnnTrainer(fast, config.learningRate, nodeReplicas(1, { ...config, architecture: 'cnn' }, 'wasm'));
    const { values, labels } = batch(13, 1);
    await expect(trainer.step(values, labels, 13, 40, 16)).rejects.toThrow(/training thread 1 failed|a training thread failed/);
    trainer.dispose();
  }, 60_000);

  it('runs a whole session of the 2-D CNN with a helper thread, and the model it leaves predicts what the trainer did', async () => {
    await tf.setBackend('wasm');
    const data = toTrainingData(syntheticFeatures({ genres: 3, clipsPerGenre: 4, seconds: 6 }));
    let threads = 0;
    const r = await runSession(data, {
      model: { architecture: 'cnn', filters: 8, lstmUnits: [4], denseUnits: 8, dropout: 0.2, learningRate: 1e-2 },
      train: { epochs: 2, batchSize: 8, seed: 1, standardize: true }, split: DEFAULT_SPLIT,
      helpers: (c) => { threads++; return nodeReplicas(1, c, 'wasm'); },
    });
    expect(threads).toBe(1);
    expect(r.epochsCompleted).toBe(2);
    expect(r.evaluation.segments).toBe(r.split.test.length);
    // The tfjs model holds the trained weights and moving statistics: its test predictions are the evaluation's.
    const test = r.split.test;
    const size = data.frames * data.coefficients;
    const xs = tf.tensor3d(Float32Array.from(test.flatMap((i) => Array.from(data.x.subarray(i * size, (i + 1) * size)))), [test.length, data.frames, data.coefficients]);
    const mean = r.standardization!;
    const standardized = tf.tidy(() => tf.div(tf.sub(xs, tf.tensor1d(mean.mean)), tf.tensor1d(mean.std)));
    const probs = r.model.predict(standardized) as tf.Tensor;
    const again = evaluatePredictions(data, test, probs.dataSync() as Float32Array);
    expect(again.loss).toBeCloseTo(r.evaluation.loss, 4);
    expect(again.segmentAccuracy).toBe(r.evaluation.segmentAccuracy);
    tf.dispose([xs, standardized, probs]);
    r.model.dispose();
  }, 60_000);
});
