import * as tf from '@tensorflow/tfjs';
import { matMul } from './matmul';
import { portableForced, stepBackward, stepForward, usesWebGLPrograms } from './ops';
import { simdLstm, simdLstmUsable } from './simd-lstm';
import { webglLstm } from '../../kernels/webgl-lstm';

/**
 * An LSTM layer with tf.layers.lstm's semantics (gates i, f, c, o; kernel [in, 4H], recurrent
 * kernel [H, 4H], bias [4H]; sigmoid and tanh). On WASM and CPU it is the SIMD kernel
 * (simd-lstm.ts), on WebGL shader programs of our own (webgl-lstm.ts); elsewhere, and for unit
 * counts those do not take, the path below, written for speed:
 * - the input projection of every step is one matrix product before the loop;
 * - each step is one product h·U and one fused gate kernel;
 * - the backward pass is written by hand (tf.customGrad) and walks the steps once, with one
 *   fused kernel and one product per step; the weight gradients are three products at the end.
 * Returns [batch, steps, H] (returnSequences) or the last h, [batch, H]. inputGradient false
 * skips dL/dx (zeros instead) where x is data, as for a first layer: one product less per batch.
 */
export function fastLstm(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D, returnSequences: boolean, inputGradient = true): tf.Tensor {
  // WASM and CPU: the whole layer as one WebAssembly SIMD call each way.
  if (!portableForced() && simdLstmUsable(recurrent.shape[0])) return simdLstm(x, kernel, recurrent, bias, returnSequences, inputGradient);
  // The WebGL programs work on 2×2 blocks, so odd unit counts take the portable path there.
  if (usesWebGLPrograms() && recurrent.shape[0] % 2 === 0) return webglLstm(x, kernel, recurrent, bias, returnSequences, inputGradient);
  const op = tf.customGrad((...args: unknown[]) => {
    const [xIn, w, u, b] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[4] as tf.GradSaveFunc;
    const [batch, steps, inDim] = xIn.shape;
    const units = u.shape[0];
    const xw = tf.reshape(tf.add(matMul(tf.reshape(xIn, [batch * steps, inDim]), w), b), [batch, steps, 4 * units]) as tf.Tensor3D;
    let h = tf.zeros([batch, units]) as tf.Tensor2D;
    let c = tf.zeros([batch, units]) as tf.Tensor2D;
    const hs: tf.Tensor2D[] = [h];
    const cs: tf.Tensor2D[] = [c];
    const hus: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const hu = matMul(h, u);
      [h, c] = stepForward(xw, t, hu, c);
      hus.push(hu);
      hs.push(h);
      cs.push(c);
    }
    const value = returnSequences ? tf.stack(hs.slice(1), 1) : h;
    // Saved: x, W, U, the projections, every h·U, every h and c (index 0 is the zero state).
    save([xIn, w, u, xw, ...hus, ...hs, ...cs]);
    const gradFunc = (dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const dyT = dyIn as tf.Tensor;
      const [sx, sw, su, sxw] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D];
      const sHu = saved.slice(4, 4 + steps) as tf.Tensor2D[];
      const sH = saved.slice(4 + steps, 5 + 2 * steps) as tf.Tensor2D[];
      const sC = saved.slice(5 + 2 * steps) as tf.Tensor2D[];
      return tf.tidy(() => {
        const dy = (returnSequences ? dyT : tf.reshape(dyT, [batch, 1, units])) as tf.Tensor3D;
        let dhRec = tf.zeros([batch, units]) as tf.Tensor2D;
        let dcNext = tf.zeros([batch, units]) as tf.Tensor2D;
        const dzs: tf.Tensor2D[] = new Array(steps);
        const uT = tf.transpose(su) as tf.Tensor2D;
        for (let t = steps - 1; t >= 0; t--) {
          const tOut = returnSequences ? t : t === steps - 1 ? 0 : -1;
          const [dz, dc] = stepBackward(sxw, t, sHu[t], sC[t], dy, tOut, dhRec, dcNext);
          dzs[t] = dz;
          dcNext = dc;
          if (t > 0) dhRec = matMul(dz, uT);
        }
        const dz2 = tf.reshape(tf.stack(dzs, 1), [batch * steps, 4 * units]) as tf.Tensor2D;
        const hPrev = tf.reshape(tf.stack(sH.slice(0, steps), 1), [batch * steps, units]) as tf.Tensor2D;
        const x2 = tf.reshape(sx, [batch * steps, inDim]) as tf.Tensor2D;
        return [
          inputGradient ? tf.reshape(matMul(dz2, sw, false, true), [batch, steps, inDim]) : tf.zerosLike(sx),
          matMul(x2, dz2, true, false),
          matMul(hPrev, dz2, true, false),
          tf.sum(dz2, 0),
        ];
      });
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrent, bias);
}
