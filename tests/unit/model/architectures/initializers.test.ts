import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { buildModel } from '../../../../src/model/architectures/build';
import { REFERENCE_MODEL, type ModelConfig } from '../../../../src/model/architectures/config';
import { initialValues } from '../../../../src/model/architectures/initializers';
import { useNodeWasmBinaries } from '../../../../src/model/backend/node-wasm-paths';

useNodeWasmBinaries();

const base: ModelConfig = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 10 };
const ARCHITECTURES: ModelConfig[] = [base, { ...base, architecture: 'cnn', filters: 8 }, { ...base, architecture: 'conv1d', filters: 8 }];

const weightsOf = (c: ModelConfig, seed: number): Float32Array[] => {
  const model = buildModel(c, seed);
  const out = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  model.dispose();
  return out;
};

describe('starting weights drawn from the run\'s seed', () => {
  for (const c of ARCHITECTURES) {
    it(`${c.architecture ?? 'lstm'}: the same seed gives the same weights to the last bit, another seed other weights`, async () => {
      await tf.setBackend('cpu');
      const a = weightsOf(c, 5);
      const b = weightsOf(c, 5);
      const other = weightsOf(c, 6);
      expect(a.map((w) => Array.from(w))).toEqual(b.map((w) => Array.from(w)));
      const kernels = a.filter((w, i) => w.some((v) => v !== 0 && v !== 1) && w.some((v, k) => v !== other[i][k]));
      expect(kernels.length).toBeGreaterThanOrEqual(3);
    });
  }

  it('are the same on the WASM and CPU backends (no backend arithmetic in them)', async () => {
    await tf.setBackend('cpu');
    const cpu = weightsOf(base, 11);
    await tf.setBackend('wasm');
    const wasm = weightsOf(base, 11);
    expect(wasm.map((w) => Array.from(w))).toEqual(cpu.map((w) => Array.from(w)));
  });

  it('keep the LSTM\'s forget-gate bias of 1 and Keras\'s scales', async () => {
    await tf.setBackend('cpu');
    const [kernel, recurrent, bias] = weightsOf(base, 3);
    expect(Array.from(bias.subarray(64, 128)).every((v) => v === 1)).toBe(true);
    expect(Array.from(bias.subarray(0, 64)).every((v) => v === 0)).toBe(true);
    const limit = Math.sqrt(6 / (13 + 256));
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...kernel.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    expect(recurrent.length).toBe(64 * 256);
  });

  it('build the recipe without tfjs\'s "Orthogonal initializer … Slowness may result" warning (no QR on the backend)', async () => {
    await tf.setBackend('cpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      buildModel(base, 1).dispose();
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /Orthogonal initializer/.test(m))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('orthogonal: the rows of a wide matrix and the columns of a tall one are orthonormal', () => {
    for (const [rows, cols] of [[8, 32], [32, 8], [6, 6]]) {
      const q = initialValues('orthogonal', [rows, cols], 1, 0);
      const byRows = rows <= cols;
      const n = byRows ? rows : cols;
      const len = byRows ? cols : rows;
      const at = (v: number, k: number) => (byRows ? q[v * cols + k] : q[k * cols + v]);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let k = 0; k < len; k++) dot += at(i, k) * at(j, k);
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
        }
      }
    }
  });

  it('He normal: truncated at two deviations of √(2 / fan-in), with about that deviation', () => {
    const w = initialValues('heNormal', [3, 3, 16, 32], 2, 4);
    const deviation = Math.sqrt(2 / (3 * 3 * 16));
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(2 * deviation * (1 + 1e-6));
    const sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    // A normal truncated at ±2σ has a deviation of 0.88σ.
    expect(sd / deviation).toBeGreaterThan(0.83);
    expect(sd / deviation).toBeLessThan(0.93);
  });
});
