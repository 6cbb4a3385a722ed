import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES, compareWithLayersLstm } from '../../../../../src/model/engines/simd-lstm/self-check';
import { simdLstm, simdLstmUsable } from '../../../../../src/model/engines/simd-lstm/simd-lstm';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);

const TOL = 1e-4;

for (const backend of ['cpu', 'wasm']) {
  describe(`the SIMD LSTM kernel matches tf.layers.lstm on ${backend}`, () => {
    for (const c of CASES) {
      it(`B${c.batch} T${c.steps} D${c.inputs} H${c.units} ${c.returnSequences ? 'sequences' : 'last state'}`, async () => {
        await tf.setBackend(backend);
        await tf.ready();
        expect(simdLstmUsable(c.units)).toBe(true);
        const before = tf.memory().numTensors;
        const errors = compareWithLayersLstm(c);
        for (const [name, err] of Object.entries(errors)) expect(err, name).toBeLessThan(TOL);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}

describe('the SIMD LSTM kernel\'s reach', () => {
  it('takes units in fours on WASM and CPU only', async () => {
    await tf.setBackend('cpu');
    expect(simdLstmUsable(64)).toBe(true);
    expect(simdLstmUsable(6)).toBe(false);
  });
});

describe('the SIMD LSTM layer without the input gradient (a first layer, whose input is data)', () => {
  it('gives zeros for dx and the same weight gradients', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([3, 7, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const w = tf.randomNormal([4, 32], 0, 0.5, 'float32', 2) as tf.Tensor2D;
    const u = tf.randomNormal([8, 32], 0, 0.5, 'float32', 3) as tf.Tensor2D;
    const b = tf.randomNormal([32], 0, 0.5, 'float32', 4) as tf.Tensor1D;
    const grads = (inputGradient: boolean) => tf.grads((...a: tf.Tensor[]) =>
      tf.sum(simdLstm(a[0] as tf.Tensor3D, a[1] as tf.Tensor2D, a[2] as tf.Tensor2D, a[3] as tf.Tensor1D, true, inputGradient)))([x, w, u, b]);
    const full = grads(true);
    const skipped = grads(false);
    expect(tf.max(tf.abs(full[0])).dataSync()[0]).toBeGreaterThan(0);
    expect(tf.max(tf.abs(skipped[0])).dataSync()[0]).toBe(0);
    for (let i = 1; i < 4; i++) expect(tf.max(tf.abs(tf.sub(full[i], skipped[i]))).dataSync()[0]).toBe(0);
    tf.dispose([x, w, u, b, ...full, ...skipped]);
  });
});
