import type * as tf from '@tensorflow/tfjs';
import { replaceKernel } from '../backend/backend-access';

/**
 * MaxPoolGrad for the pooling the CNNs use (windows that tile the input: 'valid', strides equal
 * to the window) as one pass: each window's gradient goes to its first largest input, the one
 * tfjs-cpu's kernel picks. Anything else goes to the kernel registered before (on WASM, the CPU
 * kernel borrowed in wasm-borrowed-kernels.ts, whose copies cost 160 ms of a 1 s CNN batch).
 */
export function maxPoolGradTiled(
  dy: ArrayLike<number>, x: ArrayLike<number>, xShape: readonly number[], pool: [number, number], dx: Float32Array,
): void {
  const [batch, h, w, c] = xShape;
  const [ph, pw] = pool;
  const oh = Math.floor(h / ph);
  const ow = Math.floor(w / pw);
  dx.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const d = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < ph; i++) {
            const row = (b * h + oy * ph + i) * w;
            for (let j = 0; j < pw; j++) {
              const k = (row + ox * pw + j) * c + ch;
              if (x[k] > best || at < 0) {
                best = x[k];
                at = k;
              }
            }
          }
          dx[at] += dy[d + ch];
        }
      }
    }
  }
}

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: string | number;
  dimRoundingMode?: string;
}

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);

export function registerMaxPoolGrad(): void {
  replaceKernel('MaxPoolGrad', (theirs, access) => (args) => {
    const a = args.attrs as unknown as PoolAttrs;
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const pool = pair(a.filterSize);
    const strides = pair(a.strides);
    if (input.dtype !== 'float32' || a.pad !== 'valid' || pool[0] !== strides[0] || pool[1] !== strides[1]) return theirs!(args);
    const io = access(args.backend as tf.KernelBackend);
    const out = io.outputs([[...input.shape]]);
    maxPoolGradTiled(io.read(dy), io.read(input), input.shape, pool, out.arrays()[0]);
    return out.infos[0];
  });
}
