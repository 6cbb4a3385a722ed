import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../../../src/model/architectures/build';
import { REFERENCE_MODEL, type ModelConfig } from '../../../../../src/model/architectures/config';
import { specOf, type LstmSpec } from '../../../../../src/model/architectures/spec';
import { LstmModel } from '../../../../../src/model/engines/simd-lstm/lstm-model';
import { lstmModelOracle } from '../../../../support/lstm-oracle';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);

const config: ModelConfig = { ...REFERENCE_MODEL, lstmUnits: [16, 12], denseUnits: 8, dropout: 0, frames: 25, coefficients: 13, classes: 4, learningRate: 1e-2 };

function fixed(c: ModelConfig): tf.LayersModel {
  const model = buildModel(c);
  model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.sin(tf.add(tf.range(0, w.size).reshape(w.shape), i * 1.7)).mul(0.3))));
  return model;
}

const wave = (n: number, phase: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61 + phase));

function worst(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let w = 0;
  a.forEach((x, i) => { x.forEach((v, k) => { w = Math.max(w, Math.abs(v - b[i][k]) / Math.max(1e-3, Math.abs(b[i][k]))); }); });
  return w;
}

describe('the recipe\'s network on plain arrays (WASM and CPU)', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`gives tfjs ops' gradients, loss, accuracy and probabilities (${backend}; two LSTM sizes, 7 rows)`, async () => {
      await tf.setBackend(backend);
      const model = fixed(config);
      const fast = new LstmModel(model, specOf(config) as LstmSpec);
      const rows = 7;
      const values = wave(rows * 25 * 13, 0.3);
      const labels = Float32Array.from({ length: rows }, (_, i) => (i * 3) % 4);
      const onArrays = await fast.shareGradients(values, labels, rows, 25, 13);
      const throughTf = await lstmModelOracle(model, values, labels, rows, 25, 13);
      expect(onArrays.grads).toHaveLength(10);
      expect(onArrays.loss).toBeCloseTo(throughTf.loss, 5);
      expect(onArrays.accuracy).toBeCloseTo(throughTf.accuracy, 6);
      // Relative, floored at 1e-3: every weight's gradient, the LSTMs' and the dense layers'.
      expect(worst(onArrays.grads, throughTf.grads)).toBeLessThan(1e-4);
      const p = await fast.predictValues(values, rows, 25, 13);
      p.forEach((v, i) => { expect(v).toBeCloseTo(throughTf.probabilities[i], 6); });
      model.dispose();
    });
  }

  it('drops out only when training, its mask fixed by where it is drawn: the same step repeats, another step differs', async () => {
    await tf.setBackend('wasm');
    const model = fixed({ ...config, dropout: 0.5 });
    const fast = new LstmModel(model, specOf({ ...config, dropout: 0.5 }) as LstmSpec);
    const values = wave(64 * 25 * 13, 1.1);
    const labels = new Float32Array(64);
    const a = await fast.predictValues(values, 64, 25, 13);
    const b = await fast.predictValues(values, 64, 25, 13);
    expect(Array.from(a)).toEqual(Array.from(b));
    // The last dense layer's kernel gradient sums its inputs' dropped-or-kept values.
    const at = (step: number) => ({ seed: 99, step, row: 0 });
    const g1 = (await fast.shareGradients(values, labels, 64, 25, 13, at(1))).grads[8];
    const again = (await fast.shareGradients(values, labels, 64, 25, 13, at(1))).grads[8];
    const g2 = (await fast.shareGradients(values, labels, 64, 25, 13, at(2))).grads[8];
    const none = (await fast.shareGradients(values, labels, 64, 25, 13)).grads[8];
    expect(Array.from(again)).toEqual(Array.from(g1));
    expect(worst([g1], [g2])).toBeGreaterThan(1e-3);
    expect(worst([g1], [none])).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('draws the same dropout mask on arrays as through tfjs ops', async () => {
    await tf.setBackend('wasm');
    const model = fixed({ ...config, dropout: 0.4 });
    const fast = new LstmModel(model, specOf({ ...config, dropout: 0.4 }) as LstmSpec);
    const rows = 9;
    const values = wave(rows * 25 * 13, 0.7);
    const labels = Float32Array.from({ length: rows }, (_, i) => i % 4);
    const draw = { seed: 7, step: 3, row: 5 };
    const onArrays = await fast.shareGradients(values, labels, rows, 25, 13, draw);
    const throughTf = await lstmModelOracle(model, values, labels, rows, 25, 13, draw, 0.4);
    expect(onArrays.loss).toBeCloseTo(throughTf.loss, 5);
    expect(worst(onArrays.grads, throughTf.grads)).toBeLessThan(1e-4);
    model.dispose();
  });
});
