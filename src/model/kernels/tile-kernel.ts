import type * as tf from '@tensorflow/tfjs';
import { replaceKernel } from '../backend/backend-access';

/**
 * Tile as block copies, for float32 on WASM and CPU. Batch normalisation's gradient tiles a
 * per-channel vector over every position of its input; tfjs-wasm's Tile computes every output
 * index on its own and took 450 ms of the 2-D CNN's 1.5 s batch on 64-band log-mel. Other dtypes
 * go to the backend's own kernel.
 */
export function tileInto(x: Float32Array, shape: readonly number[], reps: readonly number[], out: Float32Array): void {
  let src = x;
  let cur = [...shape];
  // Innermost axis first: each pass repeats, for every index of the axes before it, the block of
  // everything from this axis inward.
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const r = reps[axis];
    if (r === 1) continue;
    const outer = cur.slice(0, axis).reduce((a, b) => a * b, 1);
    const block = cur.slice(axis).reduce((a, b) => a * b, 1);
    const last = !reps.slice(0, axis).some((v) => v > 1);
    const dst = last ? out : new Float32Array(outer * block * r);
    for (let o = 0; o < outer; o++) {
      const base = o * block * r;
      dst.set(src.subarray(o * block, (o + 1) * block), base);
      // Doubling: copies 1, 2, 4, … blocks from what is already written.
      for (let have = 1; have < r; have *= 2) {
        const n = Math.min(have, r - have);
        dst.copyWithin(base + have * block, base, base + n * block);
      }
    }
    src = dst;
    cur = cur.map((v, i) => (i === axis ? v * r : v));
  }
  if (src !== out) out.set(src);
}

export function registerTile(): void {
  replaceKernel('Tile', (theirs, access) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32') return theirs!(args);
    const reps = (args.attrs as unknown as { reps: number[] }).reps;
    const io = access(args.backend as tf.KernelBackend);
    const out = io.outputs([x.shape.map((v, i) => v * reps[i])]);
    tileInto(io.read(x), x.shape, reps, out.arrays()[0]);
    return out.infos[0];
  });
}
