import type { DropoutDraw } from '../../kernels/hash-random';
import { groupSizes, ShardedTrainer, shares, type Replica, type ShareInput } from '../sharded-trainer';
import type { LstmModel, GroupGradients } from './lstm-model';

/** One share of a batch to train on: its segments and their labels. */
export interface ShareRequest extends ShareInput {
  labels: Float32Array;
  /** Where dropout's mask is drawn for these rows. */
  dropout?: DropoutDraw;
}

/**
 * A replica's answer: per group of LSTM_GROUP_ROWS rows, the gradient of the group's mean loss;
 * the share's mean loss and accuracy.
 */
export type ShareResult = GroupGradients;

/** A replica of the SIMD LSTM in another thread: the gradients of its share, group by group. */
export interface LstmReplica extends Replica {
  gradients(req: ShareRequest): Promise<ShareResult>;
}

/**
 * Rows of an LSTM batch whose gradient is computed in one piece. A batch's gradient is the groups'
 * added in their order, whichever thread computed each, so 1, 2 or 3 threads give the same
 * weights to the last bit (a share is whole groups). Groups of 8 cost the kernel no more than
 * whole batches (bench:train).
 */
export const LSTM_GROUP_ROWS = 8;

/**
 * The SIMD LSTM engine: this thread computes the first share's gradient (lstm-model.ts) while each
 * helper, given the current weights, computes another's; the batch's gradient is the groups'
 * weighted by their rows and Adam steps once, here, on the weights as plain arrays, which are then
 * written to the model. With no helpers it is the one-thread trainer, the same update.
 */
export class LstmTrainer extends ShardedTrainer<LstmReplica> {
  constructor(private readonly local: LstmModel, learningRate: number, helpers: readonly LstmReplica[] = [], dropoutSeed = 0) {
    super(learningRate, helpers, LSTM_GROUP_ROWS, dropoutSeed);
  }

  async snapshot(): Promise<Float32Array[]> {
    return (await this.local.weights()).map((w) => w.slice());
  }

  async restore(snapshot: Float32Array[]): Promise<void> {
    const weights = await this.local.weights();
    weights.forEach((w, i) => { w.set(snapshot[i]); });
    this.local.setWeights(weights);
  }

  /** One step on a batch of `rows` segments (values row-major, labels one per row). */
  async step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]> {
    const size = frames * coefficients;
    const parts = this.parts(rows);
    // The model's own arrays: Adam steps them in place, setWeights writes them to its variables.
    const weights = await this.local.weights();
    const draw = (row: number): DropoutDraw => ({ seed: this.dropoutSeed, step: this.stepsDone, row });
    const remote = parts.slice(1).map(([s, e], i) => this.helpers[i].gradients({
      weights, x: values.subarray(s * size, e * size), labels: labels.subarray(s, e), rows: e - s, frames, coefficients, dropout: draw(s),
    }));
    const [s0, e0] = parts[0];
    const mine = await this.local.groupGradients(values.subarray(s0 * size, e0 * size), labels.subarray(s0, e0), e0 - s0, frames, coefficients,
      draw(s0), LSTM_GROUP_ROWS);
    this.stepsDone++;
    const results = [mine, ...(await Promise.all(remote))];
    // The whole batch's mean loss has the gradient Σ (rows_g / rows) · g_g over the groups, each
    // g_g its group's mean's, added in the groups' order: N threads give one thread's update.
    this.adamStep(weights, results.flatMap((r) => r.groups), results.flatMap((r) => groupSizes(r.rows, LSTM_GROUP_ROWS).map((n) => n / rows)));
    this.local.setWeights(weights);
    const loss = results.reduce((a, r) => a + r.loss * r.rows, 0) / rows;
    const accuracy = results.reduce((a, r) => a + r.accuracy * r.rows, 0) / rows;
    return [loss, accuracy];
  }

  /** A segment's probabilities depend on its row alone: any rows to a thread, as evenly as can be. */
  protected override predictParts(rows: number): [number, number][] {
    return shares(rows, this.threads);
  }

  protected async predictInput(): Promise<{ weights: Float32Array[] }> {
    return { weights: await this.local.weights() };
  }

  protected predictHere(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    return this.local.predictValues(values, rows, frames, coefficients);
  }

  /** The arrays into the model's variables (setWeights writes them at every step already). */
  flush(): void {
    this.local.flush();
  }
}
