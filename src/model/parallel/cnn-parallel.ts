import type { FastCnn } from '../fast-cnn/fast-cnn';
import type { StageReply, StageReport } from '../fast-cnn/cnn-share';
import { GROUP_ROWS } from '../fast-cnn/cnn-share';
import { Adam } from './adam';
import { shares, type GradientWorker } from './data-parallel';

/** Rows in shares of whole groups of GROUP_ROWS (the batch's last group may be short): [start, end) each. */
export function groupShares(rows: number, threads: number): [number, number][] {
  return shares(Math.ceil(rows / GROUP_ROWS), threads).map(([s, e]) => [s * GROUP_ROWS, Math.min(rows, e * GROUP_ROWS)]);
}

/**
 * Training of the lab's CNNs on one thread or several: each batch is cut into one share per
 * thread, as for the LSTM (data-parallel.ts), but batch normalisation is synchronised: every
 * normalisation, forward and back, takes the statistics of the whole batch, which the shares
 * send as per-channel sums at each stage and this thread adds up and sends back. So N threads
 * compute what one thread computes, where per-share statistics (PyTorch DDP's default) would give
 * each share its own; and every sum over rows is made per group of rows (cnn-share.ts), the groups
 * added here in order, so the weights are the same to the last bit whatever the threads. The cost: one message round
 * a normalisation each way, 8 for the 2-D CNN's 4 blocks, each carrying 2 × channels numbers.
 * The moving statistics are updated here with the whole batch's mean and variance.
 */
export class CnnParallelTrainer {
  private adam: Adam | undefined;
  private grads: Float32Array[] | undefined;

  constructor(private readonly local: FastCnn, private readonly learningRate: number, private readonly helpers: readonly GradientWorker[] = []) {}

  get threads(): number {
    return this.helpers.length + 1;
  }

  /** One step on a batch of `rows` segments (values row-major, labels one per row): [loss, accuracy]. */
  async step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]> {
    const weights = await this.local.weights();
    const state = await this.local.state();
    const g = await this.gradients(values, labels, rows, frames, coefficients);
    // Keras's moving averages, from the whole batch's statistics: moving − (moving − batch) · (1 − momentum).
    this.local.spec.blocks.forEach((block, b) => {
      const decay = 1 - block.momentum;
      const mm = state[block.movingMean];
      const mv = state[block.movingVariance];
      for (let c = 0; c < block.cout; c++) {
        mm[c] -= (mm[c] - g.moments[b].mean[c]) * decay;
        mv[c] -= (mv[c] - g.moments[b].variance[c]) * decay;
      }
    });
    this.adam ??= new Adam(weights.map((w) => w.length), this.learningRate);
    this.adam.apply(weights, [g.grads]);
    return [g.loss, g.accuracy];
  }

  /**
   * The gradient of the batch's mean loss for every trainable weight (in the model's order), the
   * batch's loss and accuracy, and each block's batch mean and variance: the shares' stages run
   * in lockstep, their sums added up here.
   */
  async gradients(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number) {
    const size = frames * coefficients;
    const parts = groupShares(rows, this.threads);
    const weights = await this.local.weights();
    const spec = this.local.spec;
    const remote = parts.slice(1).map(([s, e], i) => this.helpers[i].stageBegin!({
      weights, x: values.slice(s * size, e * size), labels: labels.slice(s, e), rows: e - s, batchRows: rows,
    }));
    const [s0, e0] = parts[0];
    const mine = this.local.share.begin({ weights, x: values.subarray(s0 * size, e0 * size), labels: labels.subarray(s0, e0), rows: e0 - s0, batchRows: rows });
    let reports: StageReport[] = [mine, ...(await Promise.all(remote))];
    // The sums' arrays are kept from step to step: Chromium pays for a fresh one's pages.
    this.grads ??= weights.map((w) => new Float32Array(w.length));
    const grads = this.grads;
    for (const g of grads) g.fill(0);
    const moments: { mean: Float32Array; variance: Float32Array }[] = [];
    let loss = 0;
    let correct = 0;
    while (reports[0].kind !== 'done') {
      const first = reports[0];
      const block = spec.blocks[first.block];
      const C = block.cout;
      // The groups' sums added in the groups' order, whichever thread made them.
      const sums = new Float64Array(2 * C);
      let count = 0;
      for (const r of reports as Extract<StageReport, { sums: Float64Array }>[]) {
        for (let g = 0; g < r.sums.length; g += 2 * C) for (let k = 0; k < 2 * C; k++) sums[k] += r.sums[g + k];
        count += r.count;
        if (r.kind === 'back' && r.loss !== undefined) {
          loss += r.loss;
          correct += r.correct ?? 0;
        }
      }
      let reply: StageReply;
      if (first.kind === 'moments') {
        const mean = Float32Array.from({ length: C }, (_, c) => sums[c] / count);
        const variance = Float32Array.from({ length: C }, (_, c) => Math.max(0, sums[C + c] / count - (sums[c] / count) ** 2));
        moments[first.block] = { mean, variance };
        reply = { kind: 'moments', mean, variance };
      } else {
        // γ's gradient is Σ dz·ŷ, β's Σ dz: the whole batch's, so taken here, once.
        for (let c = 0; c < C; c++) {
          grads[block.gamma][c] = sums[C + c];
          grads[block.beta][c] = sums[c];
        }
        reply = { kind: 'back', m1: Float32Array.from({ length: C }, (_, c) => sums[c] / count), m2: Float32Array.from({ length: C }, (_, c) => sums[C + c] / count) };
      }
      const next = this.helpers.slice(0, parts.length - 1).map((h) => h.stageNext!(reply));
      reports = [this.local.share.next(reply), ...(await Promise.all(next))];
    }
    for (const r of reports as Extract<StageReport, { kind: 'done' }>[]) {
      for (const group of r.grads) {
        group.forEach((g, i) => {
          if (!g) return;
          const into = grads[i];
          for (let k = 0; k < g.length; k++) into[k] += g[k];
        });
      }
    }
    return { grads, loss: loss / rows, accuracy: correct / rows, moments };
  }

  /** Class probabilities of `rows` segments, the rows shared between the threads like a batch. */
  async predict(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    const size = frames * coefficients;
    const parts = groupShares(rows, this.threads);
    const weights = await this.local.weights();
    const state = await this.local.state();
    const remote = parts.slice(1).map(([s, e], i) => this.helpers[i].predict({ weights, state, x: values.slice(s * size, e * size), rows: e - s, frames, coefficients }));
    const [s0, e0] = parts[0];
    const mine = await this.local.predictValues(values.subarray(s0 * size, e0 * size), e0 - s0, frames, coefficients);
    const blocks = [mine, ...(await Promise.all(remote))];
    if (blocks.length === 1) return mine;
    const out = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
    blocks.reduce((at, b) => (out.set(b, at), at + b.length), 0);
    return out;
  }

  /** The arrays into the model's variables: before a checkpoint, or once training ends. */
  flush(): void {
    this.local.flush();
  }

  dispose(): void {
    for (const h of this.helpers) h.dispose();
  }
}
