import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../../src/model/architectures/build';
import { REFERENCE_MODEL, type ModelConfig } from '../../../../src/model/architectures/config';
import { specOfModel } from '../../../../src/model/architectures/spec-of-model';
import type { LstmSpec } from '../../../../src/model/architectures/spec';
import { LstmModel } from '../../../../src/model/engines/simd-lstm/lstm-model';
import { Adam } from '../../../../src/model/optimizers/adam';
import { LstmTrainer } from '../../../../src/model/engines/simd-lstm/lstm-trainer';

function worst(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let w = 0;
  a.forEach((x, i) => { x.forEach((v, k) => { w = Math.max(w, Math.abs(v - b[i][k])); }); });
  return w;
}

/** Deterministic values in [-scale, scale]. */
const wave = (n: number, phase: number, scale: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + phase) * scale);

describe('Adam on plain arrays', () => {
  it('takes the steps tf.train.adam takes, gradients of every size (tiny ones too) over 30 steps', async () => {
    await tf.setBackend('cpu');
    const sizes = [7, 64, 300];
    const start = sizes.map((n, i) => wave(n, i, 0.5));
    const grads = (step: number) => sizes.map((n, i) => wave(n, step * 3.1 + i, step % 3 === 0 ? 1e-6 : 0.3));
    const variables = start.map((w) => tf.variable(tf.tensor(w)));
    const theirs = tf.train.adam(1e-2);
    const ours = new Adam(sizes, 1e-2);
    const mine = start.map((w) => w.slice());
    for (let step = 1; step <= 30; step++) {
      const g = grads(step);
      theirs.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: tf.tensor(g[i]) })));
      ours.apply(mine, [g]);
    }
    const tfWeights = variables.map((v) => v.dataSync() as Float32Array);
    expect(worst(mine, start)).toBeGreaterThan(0.02);
    expect(worst(mine, tfWeights)).toBeLessThan(1e-6);
    theirs.dispose();
    tf.dispose(variables);
  });

  it('averages shares\' gradients by their weights in the same pass: the step of their weighted mean', () => {
    const sizes = [5, 130];
    const a = sizes.map((n, i) => wave(n, i, 0.4));
    const b = sizes.map((n, i) => wave(n, i + 9, 0.7));
    const c = sizes.map((n, i) => wave(n, i + 4, 0.1));
    const mean = sizes.map((n, i) => Float32Array.from({ length: n }, (_, k) => 0.5 * a[i][k] + 0.25 * b[i][k] + 0.25 * c[i][k]));
    const start = sizes.map((n, i) => wave(n, i + 2, 0.5));
    const shared = start.map((w) => w.slice());
    const plain = start.map((w) => w.slice());
    const x = new Adam(sizes, 1e-2);
    const y = new Adam(sizes, 1e-2);
    for (let step = 0; step < 3; step++) {
      x.apply(shared, [a, b, c], [0.5, 0.25, 0.25]);
      y.apply(plain, [mean]);
    }
    expect(worst(shared, start)).toBeGreaterThan(0.01);
    expect(worst(shared, plain)).toBeLessThan(1e-6);
  });

  it('trains the recipe\'s model on one thread to the weights Keras\'s trainOnBatch reaches (tf.layers.lstm, tfjs Adam)', async () => {
    await tf.setBackend('cpu');
    const config: ModelConfig = { ...REFERENCE_MODEL, lstmUnits: [16, 16], denseUnits: 8, dropout: 0, frames: 20, coefficients: 13, classes: 3, learningRate: 1e-2 };
    const fixed = (model: tf.LayersModel) => model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.sin(tf.add(tf.range(0, w.size).reshape(w.shape), i)).mul(0.2))));
    const keras = buildModel(config);
    const ours = buildModel(config);
    fixed(keras);
    fixed(ours);
    const trainer = new LstmTrainer(new LstmModel(ours, specOfModel(ours) as LstmSpec), config.learningRate);
    const losses: [number, number][] = [];
    const values = wave(8 * 20 * 13, 0, 1);
    const labels = Float32Array.from({ length: 8 }, (_, i) => i % 3);
    for (let step = 0; step < 5; step++) {
      const xs = tf.tensor3d(values, [8, 20, 13]);
      const ys = tf.tensor2d(labels, [8, 1]);
      const theirs = (await keras.trainOnBatch(xs, ys)) as number[];
      const [mine] = await trainer.step(values, labels, 8, 20, 13);
      losses.push([mine, theirs[0]]);
      tf.dispose([xs, ys]);
    }
    for (const [mine, theirs] of losses) expect(mine).toBeCloseTo(theirs, 4);
    expect(losses[4][0]).toBeLessThan(losses[0][0]);
    const w = (m: tf.LayersModel) => m.getWeights().map((t) => t.dataSync() as Float32Array);
    expect(worst(w(ours), w(keras))).toBeLessThan(1e-4);
    keras.optimizer.dispose();
    keras.dispose();
    ours.dispose();
  });
});
