import * as tf from '@tensorflow/tfjs';
import { GL_CELL, GL_CONCAT_STEPS, GL_DH, GL_DZ, GL_GATES, GL_STACK_STEPS, PACKED } from './kernel-names';

/**
 * fastLstm on WebGL (same arguments and semantics; H even): per step two programs forward
 * (gates with h·U folded in; cell) and two backward (dh with dz·Uᵀ folded in; dz), see
 * kernels-webgl.ts. The state travels as [h | c] and the backward state as [dz | dc·f], so no
 * step needs a slice, a concat or a layout change; the steps are gathered into sequences once
 * per layer, around the loop.
 */
export function webglLstm(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D, returnSequences: boolean, inputGradient: boolean): tf.Tensor {
  const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}) =>
    tf.engine().runKernel(name, inputs, attrs) as tf.Tensor2D;
  const packed = <T extends tf.Tensor>(t: T) => run(PACKED, { x: t }) as unknown as T;

  /** Per-step [B, ·] tensors as one [B, T, width] sequence (first width columns of each). */
  const gatherSteps = (parts: tf.Tensor2D[], width: number): tf.Tensor3D => {
    const named = (ts: tf.Tensor[], prefix: string) => Object.fromEntries(ts.map((t, i) => [`${prefix}${i}`, t]));
    let chunks: tf.Tensor[] = [];
    for (let i = 0; i < parts.length; i += 16) chunks.push(run(GL_STACK_STEPS, named(parts.slice(i, i + 16), 't'), { width }));
    while (chunks.length > 1) {
      const joined: tf.Tensor[] = [];
      for (let i = 0; i < chunks.length; i += 16) joined.push(run(GL_CONCAT_STEPS, named(chunks.slice(i, i + 16), 'c')));
      chunks = joined;
    }
    return chunks[0] as tf.Tensor3D;
  };

  const op = tf.customGrad((...args: unknown[]) => {
    const [xIn, w, u, b] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[4] as tf.GradSaveFunc;
    const [batch, steps, inDim] = xIn.shape;
    const units = u.shape[0];
    const xw = packed(tf.reshape(tf.add(tf.matMul(tf.reshape(xIn, [batch * steps, inDim]), w), b), [batch, steps, 4 * units]));
    const uPacked = packed(u);
    const hcs: tf.Tensor2D[] = [packed(tf.zeros([batch, 2 * units]))];
    const zs: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const z = run(GL_GATES, { xw, hc: hcs[t], u: uPacked }, { t });
      zs.push(z);
      hcs.push(run(GL_CELL, { z, hc: hcs[t] }));
    }
    const value = returnSequences ? gatherSteps(hcs.slice(1), units) : tf.slice(hcs[steps], [0, 0], [batch, units]);
    // Saved: x, W, the packed U, every z and every [h | c] (index 0 is the zero state).
    save([xIn, w, uPacked, ...zs, ...hcs]);

    const gradFunc = (dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [sx, sw, su] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
      const sz = saved.slice(3, 3 + steps) as tf.Tensor2D[];
      const shc = saved.slice(3 + steps) as tf.Tensor2D[];
      return tf.tidy(() => {
        const dyT = dyIn as tf.Tensor;
        const dy = packed(returnSequences ? dyT : tf.reshape(dyT, [batch, 1, units]));
        const dzcs: tf.Tensor2D[] = new Array(steps);
        let dzc = packed(tf.zeros([batch, 5 * units])) as tf.Tensor2D;
        for (let t = steps - 1; t >= 0; t--) {
          const tOut = returnSequences ? t : t === steps - 1 ? 0 : -1;
          const dh = run(GL_DH, { dy, dzc, u: su }, { tOut });
          dzc = run(GL_DZ, { z: sz[t], hc: shc[t], dh, dzc });
          dzcs[t] = dzc;
        }
        const dz = tf.reshape(gatherSteps(dzcs, 4 * units), [batch * steps, 4 * units]) as tf.Tensor2D;
        const hPrev = tf.reshape(gatherSteps(shc.slice(0, steps), units), [batch * steps, units]) as tf.Tensor2D;
        return [
          inputGradient ? tf.reshape(tf.matMul(dz, sw, false, true), [batch, steps, inDim]) : tf.zerosLike(sx),
          tf.matMul(tf.reshape(sx, [batch * steps, inDim]), dz, true, false),
          tf.matMul(hPrev, dz, true, false),
          tf.sum(dz, 0),
        ];
      });
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrent, bias);
}
