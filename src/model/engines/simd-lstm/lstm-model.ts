import * as tf from '@tensorflow/tfjs';
import { dropoutMask, type DropoutDraw } from '../../kernels/hash-random';
import type { LstmSpec } from '../../architectures/spec';
import { ArrayModel, arrayLayersOf } from './array-model';
import { fastLstm } from './fast-lstm';
import { portableForced } from './ops';
import { simdLstmUsable } from './simd-lstm';

interface DenseWeights { kernel: tf.Variable; bias: tf.Variable; relu: boolean }

/** The gradients of each group of rows of a share, in order, and the share's mean loss and accuracy. */
export interface GroupGradients {
  groups: Float32Array[][];
  loss: number;
  accuracy: number;
  rows: number;
}

/**
 * The gradients and predictions of a model built by buildModel (LSTM… → Dense relu → Dropout →
 * Dense softmax) through the fast LSTM; LstmTrainer steps its weights. Where the SIMD
 * kernel runs (WASM and CPU) it works on the weights as plain arrays (array-model.ts), with no
 * tfjs op; elsewhere through tfjs on the model's own variables. Once it has read the weights it
 * owns them: a change made to the variables from outside is not seen. The model stays a plain
 * layers model with standard lstm layers, so saving, exporting and loading work as for any tfjs
 * model.
 */
export class LstmModel {
  private readonly lstms: { kernel: tf.Variable; recurrent: tf.Variable; bias: tf.Variable; sequences: boolean }[] = [];
  private readonly denses: DenseWeights[] = [];
  private readonly dropout: number;
  private readonly classes: number;
  private readonly variables: tf.Variable[];
  private readonly arrayModel: ArrayModel;
  /** The weights as arrays, once given or read; the variables hold them too unless `stale`. */
  private current: Float32Array[] | undefined;
  private stale = false;

  /** `model` built by buildModel from `spec`: the plan (layers, weight order) is the spec's, the variables the model's. */
  constructor(model: tf.LayersModel, spec: LstmSpec) {
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const layers = arrayLayersOf(spec);
    if (this.variables.length !== layers.denses[layers.denses.length - 1].bias + 1) throw new Error('the model was not built from this LSTM spec');
    layers.lstms.forEach((l, i) => {
      this.lstms.push({ kernel: this.variables[l.kernel], recurrent: this.variables[l.recurrent], bias: this.variables[l.bias], sequences: i < layers.lstms.length - 1 });
    });
    for (const d of layers.denses) this.denses.push({ kernel: this.variables[d.kernel], bias: this.variables[d.bias], relu: d.relu });
    this.dropout = spec.dropout;
    this.classes = spec.classes;
    this.arrayModel = new ArrayModel(layers);
  }

  /** Whether the array path runs: every LSTM layer on the SIMD kernel, and only the last one's sequence folded. */
  private get onArrays(): boolean {
    return !portableForced() && this.lstms.every((l) => simdLstmUsable(l.recurrent.shape[0]));
  }

  /** The tfjs path reads the variables: bring them up to date first. */
  private variablesNow(): void {
    if (!this.stale || !this.current) return;
    this.writeVariables(this.current);
    this.stale = false;
  }

  /** Logits (the last Dense before softmax). Dropout only when training (a mask drawn at `draw`), as Keras does. */
  private logits(x: tf.Tensor3D, draw: DropoutDraw | undefined): tf.Tensor2D {
    let h: tf.Tensor = x;
    // The first layer's input is data, so no gradient is needed for it.
    this.lstms.forEach((l, i) => {
      h = fastLstm(h as tf.Tensor3D, l.kernel as tf.Tensor2D, l.recurrent as tf.Tensor2D, l.bias as tf.Tensor1D, l.sequences, i > 0);
    });
    this.denses.forEach((d, i) => {
      if (i === this.denses.length - 1 && draw && this.dropout > 0) {
        const [rows, width] = h.shape;
        h = tf.mul(h, tf.tensor2d(dropoutMask(draw, rows, width, this.dropout), [rows, width]));
      }
      h = tf.add(tf.matMul(h as tf.Tensor2D, d.kernel as tf.Tensor2D), d.bias);
      if (d.relu) h = tf.relu(h);
    });
    return h as tf.Tensor2D;
  }

  /** The batch's mean loss; `accuracy` receives the batch's accuracy, kept past the tidy. */
  private loss(xs: tf.Tensor3D, ys: tf.Tensor, accuracy: { value?: tf.Scalar }, draw: DropoutDraw | undefined): tf.Scalar {
    const logits = this.logits(xs, draw);
    const labels = tf.cast(tf.reshape(ys, [-1]), 'int32');
    accuracy.value = tf.keep(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, this.classes), logits) as tf.Scalar;
  }

  /**
   * The gradient of the batch's mean loss for every trainable variable (in the model's order),
   * applied to nothing: a data-parallel replica's share of a batch.
   */
  async gradients(xs: tf.Tensor3D, ys: tf.Tensor, draw?: DropoutDraw): Promise<{ loss: number; accuracy: number; grads: Float32Array[] }> {
    this.variablesNow();
    const accuracy: { value?: tf.Scalar } = {};
    const { value, grads } = tf.variableGrads(() => this.loss(xs, ys, accuracy, draw), this.variables);
    const arrays = await Promise.all(this.variables.map((v) => grads[v.name].data() as Promise<Float32Array>));
    const [loss, acc] = await Promise.all([value.data(), accuracy.value!.data()]);
    tf.dispose([value, accuracy.value!, ...Object.values(grads)]);
    return { loss: loss[0], accuracy: acc[0], grads: arrays };
  }

  /** gradients() of `rows` segments given as arrays (a data-parallel share, here or in a replica). */
  async shareGradients(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number, draw?: DropoutDraw) {
    if (this.onArrays) return this.arrayModel.gradients(await this.weights(), values, labels, rows, frames, coefficients, draw);
    const xs = tf.tensor3d(values, [rows, frames, coefficients]);
    const ys = tf.tensor2d(labels, [rows, 1]);
    try {
      return { ...(await this.gradients(xs, ys, draw)), rows };
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  /**
   * shareGradients() of each group of `groupRows` rows apart (the last may be shorter), each its
   * group's mean loss's: a batch's gradient is then added up group by group in the groups' order,
   * the same arithmetic whichever thread computed which group.
   */
  async groupGradients(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number,
    draw: DropoutDraw | undefined, groupRows: number): Promise<GroupGradients> {
    const size = frames * coefficients;
    const groups: Float32Array[][] = [];
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < rows; r += groupRows) {
      const n = Math.min(groupRows, rows - r);
      const g = await this.shareGradients(values.subarray(r * size, (r + n) * size), labels.subarray(r, r + n), n, frames, coefficients,
        draw && { ...draw, row: draw.row + r });
      groups.push(g.grads);
      loss += g.loss * n;
      correct += g.accuracy * n;
    }
    return { groups, loss: loss / Math.max(1, rows), accuracy: correct / Math.max(1, rows), rows };
  }

  /**
   * The trainable variables' values, in the model's order (what a replica is given before each
   * share): the arrays it holds, which a trainer may step in place and hand back to setWeights.
   */
  async weights(): Promise<Float32Array[]> {
    this.current ??= await Promise.all(this.variables.map((v) => v.data() as Promise<Float32Array>));
    return this.current;
  }

  /** New weights (kept as given, not copied), written to the model's variables too. */
  setWeights(values: Float32Array[]): void {
    this.current = values;
    this.writeVariables(values);
    this.stale = false;
  }

  /**
   * New weights for the next gradients or predictions only: a replica's, whose variables nobody
   * reads. They reach the variables only if the tfjs path needs them.
   */
  takeWeights(values: Float32Array[]): void {
    this.current = values;
    this.stale = true;
  }

  private writeVariables(values: Float32Array[]): void {
    this.variables.forEach((v, i) => { tf.tidy(() => v.assign(tf.tensor(values[i], v.shape))); });
  }

  /** Class probabilities with the fused forward pass. */
  predict(xs: tf.Tensor3D): tf.Tensor2D {
    this.variablesNow();
    return tf.tidy(() => tf.softmax(this.logits(xs, undefined)));
  }

  /** predict() of `rows` segments given as an array, answered as one (a data-parallel share of validation). */
  async predictValues(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    if (this.onArrays) return this.arrayModel.predict(await this.weights(), values, rows, frames, coefficients);
    const probs = tf.tidy(() => this.predict(tf.tensor3d(values, [rows, frames, coefficients])));
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
  }
}
