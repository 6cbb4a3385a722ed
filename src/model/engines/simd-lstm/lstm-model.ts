import * as tf from '@tensorflow/tfjs';
import type { LstmSpec } from '../../architectures/spec';
import type { DropoutDraw } from '../../kernels/hash-random';
import { ArrayModel, arrayLayersOf } from './array-model';

/** The gradients of each group of rows of a share, in order, and the share's mean loss and accuracy. */
export interface GroupGradients {
  groups: Float32Array[][];
  loss: number;
  accuracy: number;
  rows: number;
}

/**
 * A model built by buildModel from an LSTM spec, trained on its weights as plain arrays through
 * the WebAssembly SIMD kernel (array-model.ts, on the WASM and CPU backends; chooseEngine checks
 * it runs): no tfjs op in a step; LstmTrainer steps the arrays. Once it has read the weights it
 * owns them: a change made to the variables from outside is not seen. The model stays a plain
 * layers model with standard lstm layers, so saving, exporting and loading work as for any tfjs
 * model.
 */
export class LstmModel {
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
    this.arrayModel = new ArrayModel(layers);
  }

  /** The gradients, loss and accuracy of `rows` segments given as arrays (a data-parallel share, here or in a replica). */
  async shareGradients(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number, draw?: DropoutDraw) {
    return this.arrayModel.gradients(await this.weights(), values, labels, rows, frames, coefficients, draw);
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
    // Copies: on the CPU backend data() is the variable's own storage, which the trainer would step behind tfjs's back.
    this.current ??= await Promise.all(this.variables.map(async (v) => (await v.data() as Float32Array).slice()));
    return this.current;
  }

  /** New weights (kept as given, not copied), written to the model's variables too. */
  setWeights(values: Float32Array[]): void {
    this.current = values;
    this.stale = true;
    this.flush();
  }

  /** New weights for the next gradients or predictions only: a replica's, whose variables nobody reads. */
  takeWeights(values: Float32Array[]): void {
    this.current = values;
    this.stale = true;
  }

  /** Writes the arrays to the model's variables where they are newer. */
  flush(): void {
    if (!this.stale || !this.current) return;
    const values = this.current;
    this.variables.forEach((v, i) => { tf.tidy(() => v.assign(tf.tensor(values[i], v.shape))); });
    this.stale = false;
  }

  /** Class probabilities of `rows` segments given as an array (a data-parallel share of validation). */
  async predictValues(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    return this.arrayModel.predict(await this.weights(), values, rows, frames, coefficients);
  }
}
