/**
 * The recipe's LSTM network in plain tfjs ops, differentiated by tfjs's own tape: the oracle the
 * SIMD LSTM engine (src/model/engines/simd-lstm/) is held to in the unit tests.
 */
import * as tf from '@tensorflow/tfjs';
import { dropoutMask, type DropoutDraw } from '../../src/model/kernels/hash-random';

/** One LSTM layer step by step: Keras's gate order (input, forget, cell, output), sigmoid and tanh. */
export function lstmLayer(x: tf.Tensor3D, w: tf.Tensor2D, u: tf.Tensor2D, b: tf.Tensor1D, returnSequences: boolean): tf.Tensor {
  const [B, T, I] = x.shape;
  const H = u.shape[0];
  const xw = tf.reshape(tf.matMul(tf.reshape(x, [B * T, I]), w), [B, T, 4 * H]);
  let h: tf.Tensor2D = tf.zeros([B, H]);
  let c: tf.Tensor2D = tf.zeros([B, H]);
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const z = tf.add(tf.add(tf.reshape(tf.slice(xw, [0, t, 0], [B, 1, 4 * H]), [B, 4 * H]), tf.matMul(h, u)), b);
    const [i, f, g, o] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    outputs.push(h);
  }
  return returnSequences ? tf.stack(outputs, 1) : h;
}

export interface OracleResult {
  loss: number;
  accuracy: number;
  /** Per trainable weight, in the model's order. */
  grads: Float32Array[];
  probabilities: Float32Array;
}

/**
 * A model built by buildModel from an LSTM spec (LSTM… → Dense relu → Dropout → Dense softmax),
 * on its own variables: the mean softmax cross-entropy of `rows` segments, the accuracy, every
 * trainable weight's gradient and the probabilities; `rate` of the last dense layer's inputs
 * dropped with the mask drawn at `draw` (none without one).
 */
export async function lstmModelOracle(model: tf.LayersModel, values: Float32Array, labels: Float32Array, rows: number, frames: number,
  coefficients: number, draw?: DropoutDraw, rate = 0): Promise<OracleResult> {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const lstms = (vars.length - 4) / 3;
  const x = tf.tensor3d(values, [rows, frames, coefficients]);
  const y = tf.tensor1d(labels, 'int32');
  const logits = (): tf.Tensor2D => {
    let h: tf.Tensor = x;
    for (let l = 0; l < lstms; l++) {
      h = lstmLayer(h as tf.Tensor3D, vars[3 * l] as tf.Tensor2D, vars[3 * l + 1] as tf.Tensor2D, vars[3 * l + 2] as tf.Tensor1D, l < lstms - 1);
    }
    h = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, vars[3 * lstms] as tf.Tensor2D), vars[3 * lstms + 1]));
    if (draw && rate > 0) h = tf.mul(h, tf.tensor2d(dropoutMask(draw, rows, h.shape[1] as number, rate), h.shape as [number, number]));
    return tf.add(tf.matMul(h as tf.Tensor2D, vars[3 * lstms + 2] as tf.Tensor2D), vars[3 * lstms + 3]) as tf.Tensor2D;
  };
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, vars[vars.length - 1].shape[0]), logits()) as tf.Scalar, vars);
  const result = tf.tidy(() => {
    const z = logits();
    return { probabilities: tf.softmax(z), accuracy: tf.mean(tf.cast(tf.equal(tf.argMax(z, 1), y), 'float32')) };
  });
  const out: OracleResult = {
    loss: (await value.data())[0],
    accuracy: (await result.accuracy.data())[0],
    grads: await Promise.all(vars.map((v) => grads[v.name].data() as Promise<Float32Array>)),
    probabilities: (await result.probabilities.data()) as Float32Array,
  };
  tf.dispose([x, y, value, result.probabilities, result.accuracy, ...Object.values(grads)]);
  return out;
}
