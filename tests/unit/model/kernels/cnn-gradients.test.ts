import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../../src/model/architectures/build';
import { useNodeWasmBinaries } from '../../../../src/model/backend/node-wasm-paths';

useNodeWasmBinaries();

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

describe('the CNNs\' gradients on WASM (borrowed pooling gradient, our convolution, tile and pooling kernels)', () => {
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
});
