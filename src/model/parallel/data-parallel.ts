import type { StageReply, StageReport, StageRun, StageStart } from '../fast-cnn/cnn-share';
import type { FastModel, GroupGradients } from '../fast-lstm/fast-model';
import type { DropoutDraw } from '../kernels/hash-random';
import { Adam } from '../optimizers/adam';

/** A block of segments for a replica, with the weights to take first. */
export interface ShareInput {
  weights: Float32Array[];
  /** A CNN's batch-norm moving statistics (predictions use them). */
  state?: Float32Array[];
  x: Float32Array;
  rows: number;
  frames: number;
  coefficients: number;
}

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

/**
 * Rows of an LSTM batch whose gradient is computed in one piece. A batch's gradient is the groups'
 * added in their order, whichever thread computed each, so 1, 2 or 3 threads give the same
 * weights to the last bit (a share is whole groups). Groups of 8 cost the kernel no more than
 * whole batches (bench:train).
 */
export const LSTM_GROUP_ROWS = 8;

/** A replica in another thread (a Web Worker in the page, a worker thread in Node). */
export interface GradientWorker {
  gradients(req: ShareRequest): Promise<ShareResult>;
  /** Class probabilities of the block's rows, row after row (validation and test, shared like batches). */
  predict(req: ShareInput): Promise<Float32Array>;
  /** A CNN's share of a step, in stages (cnn-parallel.ts): the first, then each next one. */
  stageBegin?(req: StageStart): Promise<StageReport>;
  stageNext?(reply: StageReply): Promise<StageReport>;
  /** The same, the whole step at once, the stages handed over in shared memory: a thread of its own only. */
  stageRun?(req: StageRun): Promise<StageReport>;
  dispose(): void;
}

/** The threads' blocks of predictions, in order, as one array (the one block itself when alone). */
export function concatBlocks(blocks: Float32Array[]): Float32Array {
  if (blocks.length === 1) return blocks[0];
  const out = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** n rows in k contiguous shares as even as possible, the larger first: [start, end) each. */
export function shares(n: number, k: number): [number, number][] {
  const parts = Math.max(1, Math.min(k, n));
  const out: [number, number][] = [];
  for (let i = 0, start = 0; i < parts; i++) {
    const size = Math.floor(n / parts) + (i < n % parts ? 1 : 0);
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

/**
 * Training of the fast LSTM on one thread or several: each batch is cut into one share per
 * thread; this thread computes the first share's gradient while each helper, given the current
 * weights, computes another's; the gradients are averaged by share size and Adam steps once,
 * here, on the weights as plain arrays (adam.ts), which are then written to the model. Helpers
 * hold replicas of the model and no optimizer state, so they need nothing but the weights of the
 * moment. With no helpers it is the one-thread trainer, the same update.
 */
export class DataParallelTrainer {
  private adam: Adam | undefined;
  private steps = 0;

  /** `dropoutSeed`: the run's dropout stream; each row's mask depends on it, the step and the row's place in the batch, not on the thread. */
  constructor(private readonly local: FastModel, private learningRate: number, private readonly helpers: readonly GradientWorker[] = [],
    private readonly dropoutSeed = 0) {}

  setLearningRate(rate: number): void {
    this.learningRate = rate;
    if (this.adam) this.adam.learningRate = rate;
  }

  async snapshot(): Promise<Float32Array[]> {
    return (await this.local.weights()).map((w) => w.slice());
  }

  async restore(snapshot: Float32Array[]): Promise<void> {
    const weights = await this.local.weights();
    weights.forEach((w, i) => { w.set(snapshot[i]); });
    this.local.setWeights(weights);
  }

  get threads(): number {
    return this.helpers.length + 1;
  }

  /** One step on a batch of `rows` segments (values row-major, labels one per row). */
  async step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]> {
    const size = frames * coefficients;
    const parts = shares(Math.ceil(rows / LSTM_GROUP_ROWS), this.threads)
      .map(([s, e]): [number, number] => [s * LSTM_GROUP_ROWS, Math.min(rows, e * LSTM_GROUP_ROWS)]);
    // The model's own arrays: Adam steps them in place, setWeights writes them to its variables.
    const weights = await this.local.weights();
    const draw = (row: number): DropoutDraw => ({ seed: this.dropoutSeed, step: this.steps, row });
    const remote = parts.slice(1).map(([s, e], i) => this.helpers[i].gradients({
      weights, x: values.subarray(s * size, e * size), labels: labels.subarray(s, e), rows: e - s, frames, coefficients, dropout: draw(s),
    }));
    const [s0, e0] = parts[0];
    const mine = await this.local.groupGradients(values.subarray(s0 * size, e0 * size), labels.subarray(s0, e0), e0 - s0, frames, coefficients,
      draw(s0), LSTM_GROUP_ROWS);
    this.steps++;
    const results = [mine, ...(await Promise.all(remote))];
    this.adam ??= new Adam(weights.map((w) => w.length), this.learningRate);
    // The whole batch's mean loss has the gradient Σ (rows_g / rows) · g_g over the groups, each
    // g_g its group's mean's, added in the groups' order: N threads give one thread's update.
    const groupSizes = (r: ShareResult) => r.groups.map((_, g) => Math.min(LSTM_GROUP_ROWS, r.rows - g * LSTM_GROUP_ROWS));
    this.adam.apply(weights, results.flatMap((r) => r.groups), results.flatMap((r) => groupSizes(r).map((n) => n / rows)));
    this.local.setWeights(weights);
    const loss = results.reduce((a, r) => a + r.loss * r.rows, 0) / rows;
    const accuracy = results.reduce((a, r) => a + r.accuracy * r.rows, 0) / rows;
    return [loss, accuracy];
  }

  /** Class probabilities of `rows` segments, the rows shared between the threads like a batch. */
  async predict(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    const size = frames * coefficients;
    const parts = shares(rows, this.threads);
    const weights = parts.length > 1 ? await this.local.weights() : [];
    const remote = parts.slice(1).map(([s, e], i) => this.helpers[i].predict({ weights, x: values.subarray(s * size, e * size), rows: e - s, frames, coefficients }));
    const [s0, e0] = parts[0];
    const mine = await this.local.predictValues(values.subarray(s0 * size, e0 * size), e0 - s0, frames, coefficients);
    return concatBlocks([mine, ...(await Promise.all(remote))]);
  }

  /** Nothing to write: setWeights writes the model's variables at every step. */
  flush(): void {}

  dispose(): void {
    for (const h of this.helpers) h.dispose();
  }
}
