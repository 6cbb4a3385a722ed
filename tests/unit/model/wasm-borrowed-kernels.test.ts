import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/build';
import { filterGradient } from '../../../src/model/wasm-borrowed-kernels';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);

/** Every trainable weight's gradient of the loss on one fixed batch, on `backend`. */
async function gradients(backend: string, architecture: 'cnn' | 'conv1d'): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  await tf.ready();
  tf.randomUniform([1]).dispose();
  const model = buildModel({ frames: 32, coefficients: 13, classes: 3, architecture, filters: 4, lstmUnits: [4, 4], denseUnits: 8, dropout: 0, learningRate: 1e-3 });
  // The same starting weights on both backends.
  model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => tf.sin(tf.add(tf.range(0, w.size).reshape(w.shape), i)).mul(0.3))));
  const x = tf.tidy(() => tf.cos(tf.range(0, 2 * 32 * 13).reshape([2, 32, 13])));
  const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
  // Cross-entropy of the softmax outputs, written out.
  const { grads } = tf.variableGrads(() => tf.neg(tf.mean(tf.log(tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, y), 1)))) as tf.Scalar);
  const out = await Promise.all(model.trainableWeights.map((w) => grads[w.originalName].data() as Promise<Float32Array>));
  tf.dispose([x, y, ...Object.values(grads)]);
  model.dispose();
  return out;
}

describe('gradient kernels for the CNNs on WASM (and the filter gradient on CPU)', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const architecture of ['cnn', 'conv1d'] as const) {
    it(`${architecture}: the gradients on WASM equal the CPU backend's`, async () => {
      const cpu = await gradients('cpu', architecture);
      const wasm = await gradients('wasm', architecture);
      expect(wasm).toHaveLength(cpu.length);
      cpu.forEach((g, i) => {
        let worst = 0;
        for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(g[k] - wasm[i][k]));
        expect(worst).toBeLessThan(1e-4 * Math.max(1, Math.max(...g.map(Math.abs))));
      });
    });
  }

  it('the filter gradient is the derivative of the convolution, at strides and paddings the CNNs do not use too', async () => {
    await tf.setBackend('cpu');
    const x = tf.tidy(() => tf.sin(tf.range(0, 2 * 9 * 7 * 3).reshape([2, 9, 7, 3])));
    const filter = tf.tidy(() => tf.cos(tf.range(0, 3 * 2 * 3 * 4).reshape([3, 2, 3, 4])));
    for (const [strides, pad, dilations] of [[1, 'same', 1], [2, 'same', 1], [2, 'valid', 1], [[2, 1], 1, 1]] as const) {
      const f = (w: tf.Tensor4D) => tf.conv2d(x as tf.Tensor4D, w, strides as [number, number], pad as 'same', 'NHWC', dilations);
      const dy = tf.tidy(() => tf.cos(tf.range(0, f(filter as tf.Tensor4D).size).reshape(f(filter as tf.Tensor4D).shape)));
      // Independent of any gradient kernel: the loss is linear in the filter, so its derivative
      // by one filter entry is the loss of the filter that is 1 there and 0 elsewhere.
      const expected = await Promise.all(Array.from({ length: filter.size }, (_, k) => tf.tidy(() =>
        tf.sum(tf.mul(f(tf.oneHot(k, filter.size).reshape(filter.shape).toFloat() as tf.Tensor4D), dy))).data().then((d) => d[0])));
      const ours = filterGradient(await x.data(), x.shape, await dy.data(), dy.shape,
        { strides: strides as number, pad: pad as 'same', dataFormat: 'NHWC', dilations, filterShape: [3, 2, 3, 4] });
      let worst = 0;
      ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]))));
      expect(worst, `${JSON.stringify([strides, pad, dilations])}`).toBeLessThan(1e-4);
      dy.dispose();
    }
    tf.dispose([x, filter]);
  });
});
