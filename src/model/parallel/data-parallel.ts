import type { FastTrainer } from '../fast-lstm/fast-trainer';

/** One share of a batch for a replica: the weights to take first, its rows and their labels. */
export interface ShareRequest {
  weights: Float32Array[];
  x: Float32Array;
  labels: Float32Array;
  rows: number;
  frames: number;
  coefficients: number;
}

/** A replica's answer: the gradient of its share's mean loss, and that share's loss and accuracy. */
export interface ShareResult {
  grads: Float32Array[];
  loss: number;
  accuracy: number;
  rows: number;
}

/** A replica in another thread (a Web Worker in the page, a worker thread in Node). */
export interface GradientWorker {
  gradients(req: ShareRequest): Promise<ShareResult>;
  dispose(): void;
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
 * The gradient of the whole batch's mean loss from its shares': Σ (rows_i / rows) · g_i, since
 * each g_i is the gradient of its own share's mean. So N workers give one worker's update.
 */
export function averageGradients(results: readonly ShareResult[]): Float32Array[] {
  const total = results.reduce((n, r) => n + r.rows, 0);
  return results[0].grads.map((_, v) => {
    const out = new Float32Array(results[0].grads[v].length);
    for (const r of results) {
      const w = r.rows / total;
      const g = r.grads[v];
      for (let i = 0; i < out.length; i++) out[i] += w * g[i];
    }
    return out;
  });
}

/**
 * Data-parallel training of the fast LSTM: each batch is cut into one share per thread; this
 * thread computes the first share's gradient while each helper, given the current weights,
 * computes another's; the gradients are averaged by share size and Adam steps once, here.
 * Helpers hold replicas of the model and no optimizer state, so they need nothing but the
 * weights of the moment.
 */
export class DataParallelTrainer {
  constructor(private readonly local: FastTrainer, private readonly helpers: readonly GradientWorker[]) {}

  get threads(): number {
    return this.helpers.length + 1;
  }

  /** One step on a batch of `rows` segments (values row-major, labels one per row). */
  async step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]> {
    const size = frames * coefficients;
    const parts = shares(rows, this.threads);
    const weights = parts.length > 1 ? await this.local.weights() : [];
    const remote = parts.slice(1).map(([s, e], i) => this.helpers[i].gradients({
      weights, x: values.slice(s * size, e * size), labels: labels.slice(s, e), rows: e - s, frames, coefficients,
    }));
    const [s0, e0] = parts[0];
    const mine = await this.local.shareGradients(values.subarray(s0 * size, e0 * size), labels.subarray(s0, e0), e0 - s0, frames, coefficients);
    const results = [mine, ...(await Promise.all(remote))];
    this.local.applyGradients(averageGradients(results));
    const loss = results.reduce((a, r) => a + r.loss * r.rows, 0) / rows;
    const accuracy = results.reduce((a, r) => a + r.accuracy * r.rows, 0) / rows;
    return [loss, accuracy];
  }

  dispose(): void {
    for (const h of this.helpers) h.dispose();
  }
}
