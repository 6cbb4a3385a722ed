import { Adam } from '../optimizers/adam';
import type { Trainer, WeightsSnapshot } from './trainer';

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

/**
 * What every replica in another thread (a Web Worker in the page, a worker thread in Node) does,
 * whichever engine it serves: its block's class probabilities, row after row; and it ends. Each
 * engine adds how its replicas train (simd-lstm/lstm-replica.ts, simd-cnn/cnn-replica.ts).
 */
export interface Replica {
  predict(req: ShareInput): Promise<Float32Array>;
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

/** Rows in shares of whole groups of `groupRows` (the batch's last group may be short): [start, end) each. */
export function groupShares(rows: number, threads: number, groupRows: number): [number, number][] {
  return shares(Math.ceil(rows / groupRows), threads).map(([s, e]) => [s * groupRows, Math.min(rows, e * groupRows)]);
}

/** The rows of each group of a share of `rows` rows, in order: groups of `groupRows`, the last maybe shorter. */
export function groupSizes(rows: number, groupRows: number): number[] {
  return Array.from({ length: Math.ceil(rows / groupRows) }, (_, g) => Math.min(groupRows, rows - g * groupRows));
}

/**
 * Data-parallel training on this thread and helper replicas: each batch is cut into shares of
 * whole groups of `groupRows` rows, one per thread; every sum over a batch's rows is made per
 * group and the groups added in their order, whichever thread computed which, so 1, 2 or 3
 * threads give the same weights to the last bit. One Adam (adam.ts) steps the weights here, as
 * plain arrays; the helpers hold no optimizer state, only the weights of the moment. The engines
 * add how a share's gradient is computed (simd-lstm/lstm-trainer.ts, simd-cnn/cnn-trainer.ts).
 */
export abstract class ShardedTrainer<R extends Replica> implements Trainer {
  private adam: Adam | undefined;
  /** Steps taken: with the dropout seed, where each row's dropout mask is drawn. */
  protected stepsDone = 0;

  /** `dropoutSeed`: the run's dropout stream; each row's mask depends on it, the step and the row's place in the batch, not on the thread. */
  constructor(protected learningRate: number, protected readonly helpers: readonly R[], protected readonly groupRows: number,
    protected readonly dropoutSeed: number) {}

  get threads(): number {
    return this.helpers.length + 1;
  }

  setLearningRate(rate: number): void {
    this.learningRate = rate;
    if (this.adam) this.adam.learningRate = rate;
  }

  /** A batch's rows, one share of whole groups per thread. */
  protected parts(rows: number): [number, number][] {
    return groupShares(rows, this.threads, this.groupRows);
  }

  /** The rows of predict(), one share per thread: whole groups unless an engine's rows are independent of each other. */
  protected predictParts(rows: number): [number, number][] {
    return this.parts(rows);
  }

  /** One Adam step of `weights` in place against Σ scales[g] · groups[g], the groups added in order. */
  protected adamStep(weights: Float32Array[], groups: readonly (readonly Float32Array[])[], scales?: readonly number[]): void {
    this.adam ??= new Adam(weights.map((w) => w.length), this.learningRate);
    this.adam.apply(weights, groups, scales);
  }

  /** The weights (and a CNN's moving statistics) a replica predicts with. */
  protected abstract predictInput(): Promise<Pick<ShareInput, 'weights' | 'state'>>;

  /** This thread's share of predict(). */
  protected abstract predictHere(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array>;

  /** Class probabilities of `rows` segments, the rows shared between the threads like a batch. */
  async predict(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    const size = frames * coefficients;
    const parts = this.predictParts(rows);
    const input = parts.length > 1 ? await this.predictInput() : { weights: [] };
    const remote = parts
      .slice(1)
      .map(([s, e], i) => this.helpers[i].predict({ ...input, x: values.subarray(s * size, e * size), rows: e - s, frames, coefficients }));
    const [s0, e0] = parts[0];
    const mine = await this.predictHere(values.subarray(s0 * size, e0 * size), e0 - s0, frames, coefficients);
    return concatBlocks([mine, ...(await Promise.all(remote))]);
  }

  abstract step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]>;
  abstract snapshot(): Promise<WeightsSnapshot>;
  abstract restore(snapshot: WeightsSnapshot): Promise<void>;
  abstract flush(): void;

  dispose(): void {
    for (const h of this.helpers) h.dispose();
  }
}
