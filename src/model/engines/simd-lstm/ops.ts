import * as tf from '@tensorflow/tfjs';
import { GL_GATES, LSTM_BACKWARD, LSTM_FORWARD } from '../../kernels/kernel-names';

let forcePortable = false;
/** For tests and benchmarks: run the portable composition even where kernels exist. */
export function setForcePortable(on: boolean): void {
  forcePortable = on;
}

export function portableForced(): boolean {
  return forcePortable;
}

/** Whether the current backend has fused kernels (else the portable path is all it has). */
export function hasFusedKernels(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(LSTM_FORWARD, backend) !== undefined || tf.getKernel(GL_GATES, backend) !== undefined;
}

/** WebGL has its own layer (webgl-lstm.ts) rather than the step kernels below. */
export function usesWebGLPrograms(): boolean {
  return !forcePortable && tf.getKernel(GL_GATES, tf.getBackend()) !== undefined;
}

function useKernels(): boolean {
  return !forcePortable && tf.getKernel(LSTM_FORWARD, tf.getBackend()) !== undefined;
}

/** h_t and c_t from the projections at step t, h_{t-1}·U and c_{t-1}. */
export function stepForward(xw: tf.Tensor3D, t: number, hu: tf.Tensor2D, cPrev: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  if (useKernels()) {
    return tf.engine().runKernel(LSTM_FORWARD, { xw, hu, cPrev }, { t }) as [tf.Tensor2D, tf.Tensor2D];
  }
  return tf.tidy(() => {
    const [batch, , g4] = xw.shape;
    const z = tf.add(tf.reshape(tf.slice(xw, [0, t, 0], [batch, 1, g4]), [batch, g4]), hu);
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    const c = tf.add(tf.mul(tf.sigmoid(zf), cPrev), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    return [tf.mul(tf.sigmoid(zo), tf.tanh(c)), c] as [tf.Tensor2D, tf.Tensor2D];
  });
}

/** dz_t (gate pre-activations) and the gradient for c_{t-1}; see step-math.ts for the algebra. */
export function stepBackward(
  xw: tf.Tensor3D, t: number, hu: tf.Tensor2D, cPrev: tf.Tensor2D, dy: tf.Tensor3D, tOut: number, dhRec: tf.Tensor2D, dcNext: tf.Tensor2D,
): [tf.Tensor2D, tf.Tensor2D] {
  if (useKernels()) {
    return tf.engine().runKernel(LSTM_BACKWARD, { xw, hu, cPrev, dy, dhRec, dcNext }, { t, tOut }) as [tf.Tensor2D, tf.Tensor2D];
  }
  return tf.tidy(() => {
    const [batch, , g4] = xw.shape;
    const h = g4 / 4;
    const z = tf.add(tf.reshape(tf.slice(xw, [0, t, 0], [batch, 1, g4]), [batch, g4]), hu);
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    const i = tf.sigmoid(zi), f = tf.sigmoid(zf), g = tf.tanh(zg), o = tf.sigmoid(zo);
    const tc = tf.tanh(tf.add(tf.mul(f, cPrev), tf.mul(i, g)));
    const dh = tOut >= 0 ? tf.add(dhRec, tf.reshape(tf.slice(dy, [0, tOut, 0], [batch, 1, h]), [batch, h])) : dhRec;
    const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
    const one = (x: tf.Tensor) => tf.mul(x, tf.sub(1, x));
    const dz = tf.concat([
      tf.mul(tf.mul(dc, g), one(i)),
      tf.mul(tf.mul(dc, cPrev), one(f)),
      tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
      tf.mul(tf.mul(dh, tc), one(o)),
    ], 1);
    return [dz, tf.mul(dc, f)] as [tf.Tensor2D, tf.Tensor2D];
  });
}
