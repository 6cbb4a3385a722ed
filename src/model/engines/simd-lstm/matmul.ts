import * as tf from '@tensorflow/tfjs';

const JS_MATMUL = 'GtzanMatMul';

/**
 * C = op(A)·op(B) in plain JS, four rows of B per pass so each output row is loaded and stored
 * a quarter as often: ~1 GMAC/s in V8, about 5× tfjs-cpu's matMul on this machine.
 */
export function jsMatMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeA: boolean): Float32Array {
  const c = new Float32Array(m * n);
  const at = transposeA ? (i: number, q: number) => a[q * m + i] : (i: number, q: number) => a[i * k + q];
  for (let i = 0; i < m; i++) {
    const co = i * n;
    let q = 0;
    for (; q + 3 < k; q += 4) {
      const a0 = at(i, q), a1 = at(i, q + 1), a2 = at(i, q + 2), a3 = at(i, q + 3);
      const b0 = q * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) c[co + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
    }
    for (; q < k; q++) {
      const a0 = at(i, q), b0 = q * n;
      for (let j = 0; j < n; j++) c[co + j] += a0 * b[b0 + j];
    }
  }
  return c;
}

function transposed(b: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = b[r * cols + c];
  return out;
}

if (!tf.getKernel(JS_MATMUL, 'cpu')) {
  tf.registerKernel({
    kernelName: JS_MATMUL,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as {
        data: { get(id: unknown): { values: Float32Array } };
        makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
      };
      const { a, b } = inputs as Record<string, tf.TensorInfo>;
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
      const n = transposeB ? b.shape[0] : b.shape[1];
      let bv = cpu.data.get(b.dataId).values;
      if (transposeB) bv = transposed(bv, b.shape[0], b.shape[1]);
      return cpu.makeTensorInfo([m, n], 'float32', jsMatMul(cpu.data.get(a.dataId).values, bv, m, k, n, transposeA));
    },
  });
}

/**
 * The fused LSTM's matrix products. CPU: the JS kernel above. WASM: XNNPACK, but with explicit
 * transposes, because tfjs-wasm's transposed products measured 8–10× slower than plain ones.
 * WebGL and others: tf.matMul as it is.
 */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  const backend = tf.getBackend();
  if (backend === 'cpu') return tf.engine().runKernel(JS_MATMUL, { a, b }, { transposeA, transposeB }) as tf.Tensor2D;
  if (backend === 'wasm' && (transposeA || transposeB)) {
    return tf.tidy(() => tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b));
  }
  return tf.matMul(a, b, transposeA, transposeB);
}
