import { ShardedTrainer, type Replica } from '../sharded-trainer';
import type { CnnModel } from './cnn-model';
import { GROUP_ROWS, type StageReply, type StageReport, type StageRun, type StageStart } from './cnn-share';
import type { CnnPlan } from './cnn-plan';
import { StageExchange } from './stage-exchange';

/** A replica of the SIMD CNN in another thread: its share of a step, stage by stage. */
export interface CnnReplica extends Replica {
  /** The first stage, then each next one, by messages. */
  stageBegin(req: StageStart): Promise<StageReport>;
  stageNext(reply: StageReply): Promise<StageReport>;
  /** The same, the whole step at once, the stages handed over in shared memory: a thread of its own only. */
  stageRun(req: StageRun): Promise<StageReport>;
}

/**
 * Training of the lab's CNNs on one thread or several: each batch is cut into one share per
 * thread, as for the LSTM (simd-lstm/lstm-trainer.ts), but batch normalisation is synchronised: every
 * normalisation, forward and back, takes the statistics of the whole batch, which the shares
 * send as per-channel sums at each stage and this thread adds up and sends back. So N threads
 * compute what one thread computes, where per-share statistics (PyTorch DDP's default) would give
 * each share its own; and every sum over rows is made per group of rows (cnn-share.ts), the groups
 * added here in order, so the weights are the same to the last bit whatever the threads. The cost: one message round
 * a normalisation each way, 8 for the 2-D CNN's 4 blocks, each carrying 2 × channels numbers.
 * The moving statistics are updated here with the whole batch's mean and variance.
 */
export class CnnTrainer extends ShardedTrainer<CnnReplica> {
  private grads: Float32Array[] | undefined;
  private exchange: StageExchange | undefined;

  /** `shared` false keeps to messages where shared memory would carry the stages (to test and time both). */
  constructor(private readonly local: CnnModel, learningRate: number, helpers: readonly CnnReplica[] = [], private readonly shared = true, dropoutSeed = 0) {
    super(learningRate, helpers, GROUP_ROWS, dropoutSeed);
  }

  /** The trainable weights, then the moving statistics. */
  async snapshot(): Promise<Float32Array[]> {
    return [...await this.local.weights(), ...await this.local.state()].map((w) => w.slice());
  }

  async restore(snapshot: Float32Array[]): Promise<void> {
    [...await this.local.weights(), ...await this.local.state()].forEach((w, i) => { w.set(snapshot[i]); });
  }

  /** One step on a batch of `rows` segments (values row-major, labels one per row): [loss, accuracy]. */
  async step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]> {
    const weights = await this.local.weights();
    const state = await this.local.state();
    const g = await this.gradients(values, labels, rows, frames, coefficients);
    // Keras's moving averages, from the whole batch's statistics: moving − (moving − batch) · (1 − momentum).
    this.local.plan.blocks.forEach((block, b) => {
      const decay = 1 - block.momentum;
      const mm = state[block.movingMean];
      const mv = state[block.movingVariance];
      for (let c = 0; c < block.cout; c++) {
        mm[c] -= (mm[c] - g.moments[b].mean[c]) * decay;
        mv[c] -= (mv[c] - g.moments[b].variance[c]) * decay;
      }
    });
    this.adamStep(weights, [g.grads]);
    return [g.loss, g.accuracy];
  }

  /**
   * The gradient of the batch's mean loss for every trainable weight (in the model's order), the
   * batch's loss and accuracy, and each block's batch mean and variance: the shares' stages run
   * in lockstep, their sums added up here, through shared memory where helpers can take it
   * (stage-exchange.ts), through messages elsewhere.
   */
  async gradients(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number) {
    const size = frames * coefficients;
    const parts = this.parts(rows);
    const weights = await this.local.weights();
    const spec = this.local.plan;
    // The sums' arrays are kept from step to step: Chromium pays for a fresh one's pages.
    this.grads ??= weights.map((w) => new Float32Array(w.length));
    const grads = this.grads;
    for (const g of grads) g.fill(0);
    const step = { spec, grads, moments: [] as { mean: Float32Array; variance: Float32Array }[], loss: 0, correct: 0 };
    const share = ([s, e]: [number, number]) => ({
      weights, x: values.subarray(s * size, e * size), labels: labels.subarray(s, e), rows: e - s, batchRows: rows,
      dropout: { seed: this.dropoutSeed, step: this.stepsDone, row: s },
    });
    const helpers = this.helpers.slice(0, parts.length - 1);
    let done: StageReport[];
    // Shared memory once every helper has answered a step by messages: in Chromium a new nested
    // worker loads its script through its parent's thread, which Atomics.wait would block.
    if (helpers.length > 0 && this.shared && this.stepsDone > 0 && StageExchange.available()) {
      const maxGroups = Math.ceil(rows / GROUP_ROWS);
      const maxChannels = Math.max(...spec.blocks.map((b) => b.cout));
      if (!this.exchange || this.exchange.helpers < helpers.length || this.exchange.maxGroups < maxGroups)
        this.exchange = StageExchange.create(helpers.length, maxChannels, maxGroups);
      const ex = this.exchange;
      let stage = ex.stage;
      const remote = helpers.map((h, i) => h.stageRun({
        ...share(parts[i + 1]), exchange: ex.buffer, helpers: ex.helpers, maxChannels: ex.maxChannels, maxGroups: ex.maxGroups, helper: i, first: stage + 1,
      }));
      // A helper's failure reaches this thread through the exchange first; its message waits.
      for (const r of remote) r.catch(() => undefined);
      try {
        let mine = this.local.share.begin(share(parts[0]));
        while (mine.kind !== 'done') {
          stage++;
          const C = spec.blocks[mine.block].cout;
          const reports = [mine, ...helpers.map((_, i) => ex.awaitReport(i, stage, C, Math.ceil((parts[i + 1][1] - parts[i + 1][0]) / GROUP_ROWS)))];
          const reply = combine(reports, step);
          ex.release(stage, reply);
          mine = this.local.share.next(reply);
        }
        done = [mine, ...(await Promise.all(remote))];
      } catch (e) {
        // The exchange's counters are past repair: a later step starts a new one.
        this.exchange = undefined;
        throw e;
      }
    } else {
      const remote = helpers.map((h, i) => h.stageBegin(share(parts[i + 1])));
      let reports: StageReport[] = [this.local.share.begin(share(parts[0])), ...(await Promise.all(remote))];
      while (reports[0].kind !== 'done') {
        const reply = combine(reports as Exclude<StageReport, { kind: 'done' }>[], step);
        const next = helpers.map((h) => h.stageNext(reply));
        reports = [this.local.share.next(reply), ...(await Promise.all(next))];
      }
      done = reports;
    }
    for (const r of done as Extract<StageReport, { kind: 'done' }>[]) {
      for (const group of r.grads) {
        group.forEach((g, i) => {
          if (!g) return;
          const into = grads[i];
          for (let k = 0; k < g.length; k++) into[k] += g[k];
        });
      }
    }
    this.stepsDone++;
    return { grads, loss: step.loss / rows, accuracy: step.correct / rows, moments: step.moments };
  }

  protected async predictInput(): Promise<{ weights: Float32Array[]; state: Float32Array[] }> {
    return { weights: await this.local.weights(), state: await this.local.state() };
  }

  protected predictHere(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    return this.local.predictValues(values, rows, frames, coefficients);
  }

  /** The arrays into the model's variables: before a checkpoint, or once training ends. */
  flush(): void {
    this.local.flush();
  }
}

/** What a step gathers as its stages go: γ and β's gradients, each block's moments, the loss. */
interface StepSums {
  spec: CnnPlan;
  grads: Float32Array[];
  moments: { mean: Float32Array; variance: Float32Array }[];
  loss: number;
  correct: number;
}

/**
 * One stage's reports added up, the groups' sums in the groups' order whichever thread made them,
 * and the reply every share needs next: the block's mean and variance, or its two back sums per
 * position (γ's and β's gradients, Σ dz·ŷ and Σ dz, taken here once).
 */
function combine(reports: Exclude<StageReport, { kind: 'done' }>[], step: StepSums): StageReply {
  const first = reports[0];
  const block = step.spec.blocks[first.block];
  const C = block.cout;
  const sums = new Float64Array(2 * C);
  let count = 0;
  for (const r of reports) {
    for (let g = 0; g < r.sums.length; g += 2 * C) for (let k = 0; k < 2 * C; k++) sums[k] += r.sums[g + k];
    count += r.count;
    if (r.kind === 'back' && r.loss !== undefined) {
      step.loss += r.loss;
      step.correct += r.correct ?? 0;
    }
  }
  if (first.kind === 'moments') {
    const mean = Float32Array.from({ length: C }, (_, c) => sums[c] / count);
    const variance = Float32Array.from({ length: C }, (_, c) => Math.max(0, sums[C + c] / count - (sums[c] / count) ** 2));
    step.moments[first.block] = { mean, variance };
    return { kind: 'moments', mean, variance };
  }
  for (let c = 0; c < C; c++) {
    step.grads[block.gamma][c] = sums[C + c];
    step.grads[block.beta][c] = sums[c];
  }
  return { kind: 'back', m1: Float32Array.from({ length: C }, (_, c) => sums[c] / count), m2: Float32Array.from({ length: C }, (_, c) => sums[C + c] / count) };
}
