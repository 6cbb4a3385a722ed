import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileKernel } from '../../../../../scripts/build-wasm';
import { simdLstm } from '../../../../../src/model/engines/simd-lstm/simd-lstm';
import { LSTM_KERNEL_WASM } from '../../../../../src/generated/lstm-kernel.wasm';
import { lstmLayer } from '../../../../support/lstm-oracle';

describe('the WebAssembly SIMD LSTM kernel', () => {
  it('is committed as compiled from lstm-kernel.as.ts (run npm run build:wasm after editing it)', async () => {
    const fresh = Buffer.from(await compileKernel('lstm')).toString('base64');
    expect(fresh === LSTM_KERNEL_WASM).toBe(true);
  }, 60_000);

  it('keeps a layer\'s saved states when the kernel starts a fresh memory between its forward and backward', async () => {
    await tf.setBackend('cpu');
    // One layer first, then two new layers per pass: the kernel starts afresh at its 17th layer,
    // a second layer, between its pass's first layer's forward and that layer's backward.
    tf.tidy(() => simdLstm(tf.ones([1, 2, 3]) as tf.Tensor3D, tf.ones([3, 16]) as tf.Tensor2D, tf.ones([4, 16]) as tf.Tensor2D, tf.zeros([16]) as tf.Tensor1D, false, true));
    for (let pass = 0; pass < 12; pass++) {
      const x = tf.randomNormal([2, 6, 3], 0, 1, 'float32', pass) as tf.Tensor3D;
      const w1 = tf.randomNormal([3, 16], 0, 0.5, 'float32', pass + 100) as tf.Tensor2D;
      const u1 = tf.randomNormal([4, 16], 0, 0.5, 'float32', pass + 200) as tf.Tensor2D;
      const w2 = tf.randomNormal([4, 16], 0, 0.5, 'float32', pass + 300) as tf.Tensor2D;
      const u2 = tf.randomNormal([4, 16], 0, 0.5, 'float32', pass + 400) as tf.Tensor2D;
      const b = tf.zeros([16]) as tf.Tensor1D;
      const [s1, s2] = tf.grads((a: tf.Tensor, c: tf.Tensor) =>
        tf.sum(simdLstm(simdLstm(x, a as tf.Tensor2D, u1, b, true, false) as tf.Tensor3D, c as tf.Tensor2D, u2, b, false, true)))([w1, w2]);
      const [f1, f2] = tf.grads((a: tf.Tensor, c: tf.Tensor) =>
        tf.sum(lstmLayer(lstmLayer(x, a as tf.Tensor2D, u1, b, true) as tf.Tensor3D, c as tf.Tensor2D, u2, b, false)))([w1, w2]);
      const worst = Math.max(tf.max(tf.abs(tf.sub(s1, f1))).dataSync()[0], tf.max(tf.abs(tf.sub(s2, f2))).dataSync()[0]);
      expect(worst, `pass ${pass}`).toBeLessThan(1e-4);
      tf.dispose([x, w1, u1, w2, u2, b, s1, s2, f1, f2]);
    }
  });
});
