import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileKernel } from '../../../../scripts/build-wasm';
import { buildModel } from '../../../../src/model/build';
import { REFERENCE_MODEL } from '../../../../src/model/config';
import { FastTrainer } from '../../../../src/model/fast-lstm/fast-trainer';
import { setSimdLstm, simdLstmUsable } from '../../../../src/model/fast-lstm/simd-lstm';
import { LSTM_KERNEL_WASM } from '../../../../src/model/fast-lstm/wasm/lstm-kernel.wasm';

describe('the WebAssembly SIMD LSTM kernel', () => {
  it('is committed as compiled from lstm-kernel.as.ts (run npm run build:wasm after editing it)', async () => {
    const fresh = Buffer.from(await compileKernel('lstm')).toString('base64');
    expect(fresh === LSTM_KERNEL_WASM).toBe(true);
  }, 60_000);

  it('trains the recipe\'s model to the same weights as the fused step kernels, batch after batch', async () => {
    await tf.setBackend('cpu');
    expect(simdLstmUsable(64)).toBe(true);
    const config = { ...REFERENCE_MODEL, lstmUnits: [16, 16], denseUnits: 8, dropout: 0, frames: 20, coefficients: 13, classes: 3, learningRate: 1e-2 };
    const xs = tf.randomNormal([8, 20, 13], 0, 1, 'float32', 1) as tf.Tensor3D;
    const ys = tf.tensor2d([0, 1, 2, 0, 1, 2, 0, 1], [8, 1]);
    const trained = async (simd: boolean) => {
      setSimdLstm(simd);
      const model = buildModel(config);
      model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.sin(tf.add(tf.range(0, w.size).reshape(w.shape), i)).mul(0.2))));
      const trainer = new FastTrainer(model, config.learningRate);
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) losses.push((await trainer.step(xs, ys))[0]);
      const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
      trainer.dispose();
      model.dispose();
      return { losses, weights };
    };
    const simd = await trained(true);
    const fused = await trained(false);
    setSimdLstm(true);
    expect(simd.losses[4]).toBeLessThan(simd.losses[0]);
    simd.losses.forEach((l, i) => expect(l).toBeCloseTo(fused.losses[i], 4));
    simd.weights.forEach((w, i) => {
      let worst = 0;
      w.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - fused.weights[i][k]))));
      expect(worst, `weight ${i}`).toBeLessThan(1e-4);
    });
    tf.dispose([xs, ys]);
  });
});
