import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { specOf, type ModelSpec } from '../../../../src/model/architectures/spec';
import { chooseEngine, simdAsked } from '../../../../src/model/training/choose-engine';

const base = { frames: 130, coefficients: 13, classes: 10, lstmUnits: [64, 64], denseUnits: 64, dropout: 0.3, learningRate: 1e-4 };
const lstm = specOf(base);
const cnn = (filters: number): ModelSpec => specOf({ ...base, architecture: 'cnn', filters });

describe('chooseEngine', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains the LSTM on the SIMD kernel on WASM and CPU, on the threads given, and says so', () => {
    expect(chooseEngine(lstm, { backend: 'wasm', threads: 2 })).toEqual({ engine: 'simd-lstm', threads: 2, reason: 'SIMD LSTM kernel on WASM, 2 threads' });
    expect(chooseEngine(lstm, { backend: 'cpu' })).toEqual({ engine: 'simd-lstm', threads: 1, reason: 'SIMD LSTM kernel on CPU, 1 thread' });
  });

  it('trains every model with tfjs layers on WebGPU, on one thread, and says why', () => {
    for (const spec of [lstm, cnn(16)]) {
      expect(chooseEngine(spec, { backend: 'webgpu', threads: 4 })).toEqual({ engine: 'layers', threads: 1, reason: 'tfjs layers: WebGPU backend has no SIMD kernels' });
    }
  });

  it('trains the CNNs on the SIMD kernel where it takes them, else with tfjs layers', () => {
    expect(chooseEngine(cnn(16), { backend: 'wasm', threads: 3 })).toEqual({ engine: 'simd-cnn', threads: 3, reason: 'SIMD CNN kernel on WASM, 3 threads' });
    expect(chooseEngine(cnn(3), { backend: 'wasm', threads: 3 }).engine).toBe('layers');
    expect(chooseEngine(cnn(16), { backend: 'webgl' })).toEqual({ engine: 'layers', threads: 1, reason: 'tfjs layers: WebGL backend has no SIMD kernels' });
  });

  it('keeps to tfjs layers when the SIMD engines are turned off; the fast-LSTM setting turns off the LSTM\'s only', () => {
    expect(chooseEngine(lstm, { backend: 'wasm', simd: false, threads: 2 })).toEqual({ engine: 'layers', threads: 1, reason: 'tfjs layers: the SIMD LSTM is off' });
    expect(chooseEngine(cnn(16), { backend: 'wasm', simd: false }).engine).toBe('layers');
    expect(simdAsked(lstm, false)).toBe(false);
    expect(simdAsked(cnn(16), false)).toBe(true);
  });
});
