import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileKernel } from '../../../../../scripts/build-wasm';
import { buildModel } from '../../../../../src/model/architectures/build';
import { REFERENCE_MODEL } from '../../../../../src/model/architectures/config';
import { fastLstm } from '../../../../../src/model/engines/simd-lstm/fast-lstm';
import { specOfModel } from '../../../../../src/model/architectures/spec-of-model';
import type { LstmSpec } from '../../../../../src/model/architectures/spec';
import { LstmModel } from '../../../../../src/model/engines/simd-lstm/lstm-model';
import { setSimdLstm, simdLstmUsable } from '../../../../../src/model/engines/simd-lstm/simd-lstm';
import { LSTM_KERNEL_WASM } from '../../../../../src/model/engines/simd-lstm/wasm/lstm-kernel.wasm';
import { LstmTrainer } from '../../../../../src/model/engines/simd-lstm/lstm-trainer';
import { registerLabKernels } from '../../../../../src/model/architectures/register-kernels';

registerLabKernels();

describe('the WebAssembly SIMD LSTM kernel', () => {
  it('is committed as compiled from lstm-kernel.as.ts (run npm run build:wasm after editing it)', async () => {
    const fresh = Buffer.from(await compileKernel('lstm')).toString('base64');
    expect(fresh === LSTM_KERNEL_WASM).toBe(true);
  }, 60_000);

  it('keeps a layer\'s saved states when the kernel starts a fresh memory between its forward and backward', async () => {
    await tf.setBackend('cpu');
    // One layer first, then two new layers per pass: the kernel starts afresh at its 17th layer,
    // a second layer, between its pass's first layer's forward and that layer's backward.
    tf.tidy(() => fastLstm(tf.ones([1, 2, 3]) as tf.Tensor3D, tf.ones([3, 16]) as tf.Tensor2D, tf.ones([4, 16]) as tf.Tensor2D, tf.zeros([16]) as tf.Tensor1D, false));
    for (let pass = 0; pass < 12; pass++) {
      const x = tf.randomNormal([2, 6, 3], 0, 1, 'float32', pass) as tf.Tensor3D;
      const w1 = tf.randomNormal([3, 16], 0, 0.5, 'float32', pass + 100) as tf.Tensor2D;
      const u1 = tf.randomNormal([4, 16], 0, 0.5, 'float32', pass + 200) as tf.Tensor2D;
      const w2 = tf.randomNormal([4, 16], 0, 0.5, 'float32', pass + 300) as tf.Tensor2D;
      const u2 = tf.randomNormal([4, 16], 0, 0.5, 'float32', pass + 400) as tf.Tensor2D;
      const b = tf.zeros([16]) as tf.Tensor1D;
      const grads = (simd: boolean) => {
        setSimdLstm(simd);
        return tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(fastLstm(fastLstm(x, a as tf.Tensor2D, u1, b, true) as tf.Tensor3D, c as tf.Tensor2D, u2, b, false)))([w1, w2]);
      };
      const [s1, s2] = grads(true);
      const [f1, f2] = grads(false);
      setSimdLstm(true);
      const worst = Math.max(tf.max(tf.abs(tf.sub(s1, f1))).dataSync()[0], tf.max(tf.abs(tf.sub(s2, f2))).dataSync()[0]);
      expect(worst, `pass ${pass}`).toBeLessThan(1e-4);
      tf.dispose([x, w1, u1, w2, u2, b, s1, s2, f1, f2]);
    }
  });

  it('trains the recipe\'s model to the same weights as the fused step kernels, batch after batch', async () => {
    await tf.setBackend('cpu');
    expect(simdLstmUsable(64)).toBe(true);
    const config = { ...REFERENCE_MODEL, lstmUnits: [16, 16], denseUnits: 8, dropout: 0, frames: 20, coefficients: 13, classes: 3, learningRate: 1e-2 };
    const values = tf.randomNormal([8, 20, 13], 0, 1, 'float32', 1).dataSync() as Float32Array;
    const labels = Float32Array.from([0, 1, 2, 0, 1, 2, 0, 1]);
    const trained = async (simd: boolean) => {
      setSimdLstm(simd);
      const model = buildModel(config);
      model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.sin(tf.add(tf.range(0, w.size).reshape(w.shape), i)).mul(0.2))));
      const trainer = new LstmTrainer(new LstmModel(model, specOfModel(model) as LstmSpec), config.learningRate);
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) losses.push((await trainer.step(values, labels, 8, 20, 13))[0]);
      const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
      model.dispose();
      return { losses, weights };
    };
    const simd = await trained(true);
    const fused = await trained(false);
    setSimdLstm(true);
    expect(simd.losses[4]).toBeLessThan(simd.losses[0]);
    simd.losses.forEach((l, i) => { expect(l).toBeCloseTo(fused.losses[i], 4); });
    simd.weights.forEach((w, i) => {
      let worst = 0;
      w.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - fused.weights[i][k])); });
      expect(worst, `weight ${i}`).toBeLessThan(1e-4);
    });
  });
});
