import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasFusedKernels, setForcePortable } from '../../../../../src/model/engines/simd-lstm/ops';
import { fastLstm } from '../../../../../src/model/engines/simd-lstm/fast-lstm';
import { setSimdLstm, simdLstmUsable } from '../../../../../src/model/engines/simd-lstm/simd-lstm';
import { CASES, compareWithLayersLstm } from '../../../../../src/model/engines/simd-lstm/self-check';
import { registerLabKernels } from '../../../../../src/model/architectures/register-kernels';

registerLabKernels();

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);

const TOL = 1e-4;

/** Every path the layer can take on the Node backends: the SIMD kernel, the fused step kernels, the portable ops. */
const PATHS = [['cpu', 'simd'], ['cpu', 'fused'], ['cpu', 'portable'], ['wasm', 'simd'], ['wasm', 'fused']] as const;

for (const [backend, path] of PATHS) {
  describe(`fastLstm matches tf.layers.lstm on ${backend} (${path === 'simd' ? 'WebAssembly SIMD kernel' : path === 'fused' ? 'fused step kernels' : 'portable path'})`, () => {
    afterAll(() => {
      setForcePortable(false);
      setSimdLstm(true);
    });
    for (const c of CASES) {
      it(`B${c.batch} T${c.steps} D${c.inputs} H${c.units} ${c.returnSequences ? 'sequences' : 'last state'}`, async () => {
        await tf.setBackend(backend);
        await tf.ready();
        setForcePortable(path === 'portable');
        setSimdLstm(path === 'simd');
        expect(hasFusedKernels()).toBe(true);
        // The kernel takes unit counts that are multiples of 4; the others fall back.
        expect(simdLstmUsable(c.units)).toBe(path === 'simd' && c.units % 4 === 0);
        const before = tf.memory().numTensors;
        const errors = compareWithLayersLstm(c);
        for (const [name, err] of Object.entries(errors)) expect(err, name).toBeLessThan(TOL);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}

describe('fastLstm without the input gradient (a first layer, whose input is data)', () => {
  it('gives zeros for dx and the same weight gradients', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([3, 7, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const w = tf.randomNormal([4, 24], 0, 0.5, 'float32', 2) as tf.Tensor2D;
    const u = tf.randomNormal([6, 24], 0, 0.5, 'float32', 3) as tf.Tensor2D;
    const b = tf.randomNormal([24], 0, 0.5, 'float32', 4) as tf.Tensor1D;
    const grads = (inputGradient: boolean) => tf.grads((...a: tf.Tensor[]) =>
      tf.sum(fastLstm(a[0] as tf.Tensor3D, a[1] as tf.Tensor2D, a[2] as tf.Tensor2D, a[3] as tf.Tensor1D, true, inputGradient)))([x, w, u, b]);
    const full = grads(true);
    const skipped = grads(false);
    expect(tf.max(tf.abs(full[0])).dataSync()[0]).toBeGreaterThan(0);
    expect(tf.max(tf.abs(skipped[0])).dataSync()[0]).toBe(0);
    for (let i = 1; i < 4; i++) expect(tf.max(tf.abs(tf.sub(full[i], skipped[i]))).dataSync()[0]).toBe(0);
    tf.dispose([x, w, u, b, ...full, ...skipped]);
  });
});
