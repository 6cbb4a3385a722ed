import * as tf from '@tensorflow/tfjs';
import { fastLstm } from './fast-lstm';

interface DenseWeights { kernel: tf.Variable; bias: tf.Variable; relu: boolean }

/**
 * Trains a model built by buildModel (LSTM… → Dense relu → Dropout → Dense softmax) through the
 * fused LSTM, updating the model's own variables. The model stays a plain layers model with
 * standard lstm layers, so saving, exporting and loading work as for any tfjs model.
 */
export class FastTrainer {
  private readonly lstms: { kernel: tf.Variable; recurrent: tf.Variable; bias: tf.Variable; sequences: boolean }[] = [];
  private readonly denses: DenseWeights[] = [];
  private readonly dropout: number;
  private readonly classes: number;
  private readonly optimizer: tf.Optimizer;
  private readonly variables: tf.Variable[];

  constructor(model: tf.LayersModel, learningRate: number) {
    let dropout = 0;
    for (const layer of model.layers) {
      const name = layer.getClassName();
      const config = layer.getConfig();
      const v = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      if (name === 'LSTM') {
        if (config.recurrentActivation !== 'sigmoid' || config.activation !== 'tanh' || v.length !== 3) {
          throw new Error('the fast LSTM needs sigmoid/tanh LSTM layers with a bias');
        }
        this.lstms.push({ kernel: v[0], recurrent: v[1], bias: v[2], sequences: Boolean(config.returnSequences) });
      } else if (name === 'Dense') {
        this.denses.push({ kernel: v[0], bias: v[1], relu: config.activation === 'relu' });
      } else if (name === 'Dropout') {
        dropout = Number(config.rate ?? 0);
      } else {
        throw new Error(`the fast LSTM path does not know layer ${name}`);
      }
    }
    if (this.lstms.length === 0 || this.denses.length === 0) throw new Error('the model has no LSTM or no Dense layer');
    this.dropout = dropout;
    this.classes = this.denses[this.denses.length - 1].kernel.shape[1] ?? 0;
    this.optimizer = tf.train.adam(learningRate);
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** Logits (the last Dense before softmax). Dropout only when training, as Keras does. */
  private logits(x: tf.Tensor3D, training: boolean): tf.Tensor2D {
    let h: tf.Tensor = x;
    // The first layer's input is data, so no gradient is needed for it.
    this.lstms.forEach((l, i) => {
      h = fastLstm(h as tf.Tensor3D, l.kernel as tf.Tensor2D, l.recurrent as tf.Tensor2D, l.bias as tf.Tensor1D, l.sequences, i > 0);
    });
    this.denses.forEach((d, i) => {
      if (i === this.denses.length - 1 && training && this.dropout > 0) h = tf.dropout(h, this.dropout);
      h = tf.add(tf.matMul(h as tf.Tensor2D, d.kernel as tf.Tensor2D), d.bias);
      if (d.relu) h = tf.relu(h);
    });
    return h as tf.Tensor2D;
  }

  /** The batch's mean loss; `accuracy` receives the batch's accuracy, kept past the tidy. */
  private loss(xs: tf.Tensor3D, ys: tf.Tensor, accuracy: { value?: tf.Scalar }): tf.Scalar {
    const logits = this.logits(xs, true);
    const labels = tf.cast(tf.reshape(ys, [-1]), 'int32');
    accuracy.value = tf.keep(tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, this.classes), logits) as tf.Scalar;
  }

  /** One Adam step on a batch; returns the batch's loss and accuracy (before the step). */
  async step(xs: tf.Tensor3D, ys: tf.Tensor): Promise<[number, number]> {
    const accuracy: { value?: tf.Scalar } = {};
    const cost = this.optimizer.minimize(() => this.loss(xs, ys, accuracy), true, this.variables);
    const [loss, acc] = await Promise.all([cost!.data(), accuracy.value!.data()]);
    tf.dispose([cost!, accuracy.value!]);
    return [loss[0], acc[0]];
  }

  /**
   * The gradient of the batch's mean loss for every trainable variable (in the model's order),
   * applied to nothing: a data-parallel replica's share of a batch.
   */
  async gradients(xs: tf.Tensor3D, ys: tf.Tensor): Promise<{ loss: number; accuracy: number; grads: Float32Array[] }> {
    const accuracy: { value?: tf.Scalar } = {};
    const { value, grads } = tf.variableGrads(() => this.loss(xs, ys, accuracy), this.variables);
    const arrays = await Promise.all(this.variables.map((v) => grads[v.name].data() as Promise<Float32Array>));
    const [loss, acc] = await Promise.all([value.data(), accuracy.value!.data()]);
    tf.dispose([value, accuracy.value!, ...Object.values(grads)]);
    return { loss: loss[0], accuracy: acc[0], grads: arrays };
  }

  /** gradients() of `rows` segments given as arrays (a data-parallel share, here or in a replica). */
  async shareGradients(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number) {
    const xs = tf.tensor3d(values, [rows, frames, coefficients]);
    const ys = tf.tensor2d(labels, [rows, 1]);
    try {
      return { ...(await this.gradients(xs, ys)), rows };
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  /** One Adam step with the given gradients (one per trainable variable, in the model's order). */
  applyGradients(grads: Float32Array[]): void {
    const named = this.variables.map((v, i) => ({ name: v.name, tensor: tf.tensor(grads[i], v.shape) }));
    this.optimizer.applyGradients(named);
    tf.dispose(named.map((g) => g.tensor));
  }

  /** The trainable variables' values, in the model's order (what a replica is given before each share). */
  async weights(): Promise<Float32Array[]> {
    return Promise.all(this.variables.map((v) => v.data() as Promise<Float32Array>));
  }

  setWeights(values: Float32Array[]): void {
    this.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i], v.shape))));
  }

  /** Class probabilities with the fused forward pass. */
  predict(xs: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.logits(xs, false)));
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
