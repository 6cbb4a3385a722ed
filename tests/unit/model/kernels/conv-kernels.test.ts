import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerConvGradients } from '../../../../src/model/kernels/conv-gradient-kernels';
import { registerMaxPoolGrad } from '../../../../src/model/kernels/max-pool-grad-kernel';
import { registerTile } from '../../../../src/model/kernels/tile-kernel';
import { registerBorrowedKernels } from '../../../../src/model/kernels/wasm-borrowed-kernels';
import { useNodeWasmBinaries } from '../../../../src/model/backend/node-wasm-paths';

useNodeWasmBinaries();

/** Strides, padding and filter sizes the CNNs use and some they do not. */
const CONV_CASES = [
  { strides: 1, pad: 'same', filter: [3, 3, 3, 4] },
  { strides: 1, pad: 'same', filter: [1, 5, 3, 4] }, // the 1-D CNN's width-5 convolution
  { strides: 2, pad: 'same', filter: [3, 2, 3, 4] },
  { strides: 2, pad: 'valid', filter: [3, 2, 3, 4] },
  // Not explicit padding: tfjs-wasm's own forward convolution corrupts its heap with it.
  { strides: [2, 1], pad: 'valid', filter: [3, 3, 3, 2] },
] as const;

const TILE_CASES: [number[], number[]][] = [[[1, 1, 1, 5], [4, 3, 2, 1]], [[2, 3], [3, 1]], [[2, 1, 3], [1, 4, 2]], [[7], [5]], [[3, 2], [1, 1]]];

const POOL_CASES: [number, number][] = [[2, 2], [2, 1]];

type Results = { conv: Float32Array[][]; tile: Float32Array[]; pool: Float32Array[] };

/** The same numbers on every backend (made in JavaScript), with ReLU-like zeros so pooling windows hold ties. */
const input = (shape: number[], relu = false) => {
  const v = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(0.7 * i));
  return tf.tensor(relu ? v.map((x) => Math.max(0, x)) : v, shape);
};
const ramp = (shape: number[], scale = 1) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => scale * Math.cos(i)), shape);

async function results(): Promise<Results> {
  const x = input([2, 9, 7, 3]);
  const conv = await Promise.all(CONV_CASES.map(async (c) => {
    const w = ramp([...c.filter], 0.5);
    const f = (xx: tf.Tensor, ww: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.strides as [number, number], c.pad as 'same');
    const y = f(x, w);
    const dy = ramp(y.shape);
    y.dispose();
    const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(f(xx, ww), dy)))([x, w]);
    const out = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
    tf.dispose([w, dy, ...grads]);
    return out;
  }));
  const tile = TILE_CASES.map(([shape, reps]) => tf.tidy(() => tf.tile(input(shape), reps).dataSync() as Float32Array));
  const pooled = input([2, 8, 6, 3], true);
  const pool = await Promise.all(POOL_CASES.map((p) => {
    const weights = ramp([2, 8 / p[0], 6 / p[1], 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, p, p, 'valid'), weights)))(pooled);
    return g.data().finally(() => tf.dispose([g, weights])) as Promise<Float32Array>;
  }));
  tf.dispose([x, pooled]);
  return { conv, tile, pool };
}

function worst(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / scale);
  return w;
}

describe('our convolution gradient, tile and max-pool gradient kernels', () => {
  let theirs: Results;
  beforeAll(async () => {
    // tfjs-cpu's own kernels first, before ours take their place.
    await tf.setBackend('cpu');
    theirs = await results();
    registerBorrowedKernels();
    registerConvGradients();
    registerTile();
    registerMaxPoolGrad();
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`give tfjs-cpu's own kernels' numbers on ${backend}: input and filter gradients at 5 convolutions, 5 tilings, pooling with ties`, async () => {
      await tf.setBackend(backend);
      await tf.ready();
      expect((tf.getKernel('Conv2DBackpropFilter', backend) as { lab?: boolean }).lab).toBe(true);
      expect((tf.getKernel('Tile', backend) as { lab?: boolean }).lab).toBe(true);
      const ours = await results();
      CONV_CASES.forEach((c, i) => {
        expect(worst(ours.conv[i][0], theirs.conv[i][0]), `dx ${JSON.stringify(c)}`).toBeLessThan(1e-5);
        expect(worst(ours.conv[i][1], theirs.conv[i][1]), `dw ${JSON.stringify(c)}`).toBeLessThan(1e-5);
      });
      TILE_CASES.forEach((c, i) => { expect(ours.tile[i], `tile ${JSON.stringify(c)}`).toEqual(theirs.tile[i]); });
      POOL_CASES.forEach((p, i) => { expect(ours.pool[i], `pool ${p}`).toEqual(theirs.pool[i]); });
    });
  }

  it('hand the cases they do not take to the kernel before them: int32 tiles, overlapping pools', async () => {
    await tf.setBackend('wasm');
    expect(Array.from(tf.tile(tf.tensor1d([1, 2], 'int32'), [2]).dataSync())).toEqual([1, 2, 1, 2]);
    const v = input([1, 5, 5, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 3, 1, 'valid')))(v);
    // Every window of 3 × 3 at stride 1 sends 1 to its maximum: 9 windows in all.
    expect(g.sum().dataSync()[0]).toBeCloseTo(9, 5);
    tf.dispose([v, g]);
  });
});
