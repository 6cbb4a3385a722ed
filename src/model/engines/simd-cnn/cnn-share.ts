import { denseBackward, denseForward, softmaxCrossEntropy, softmaxRows, type DenseTape } from '../../kernels/dense-math';
import type { DropoutDraw } from '../../kernels/hash-random';
import type { ConvBlock, CnnPlan } from './cnn-plan';
import { Workspace } from './cnn-kernel';

/**
 * Rows of a batch summed together before anything else is added to them. Every sum over rows
 * (batch-norm statistics, gradients) is made per group of this many rows, and the groups are
 * added in their order by the coordinator: a batch shared between 1, 2 or 3 threads (each
 * thread's rows being whole groups) is then the same arithmetic, so the same weights to the last
 * bit. Without it the sums' order changes with the threads, and Adam, which divides a gradient by
 * its own size, turns a last-bit difference in a gradient near zero into a step of its own.
 */
export const GROUP_ROWS = 4;

/**
 * What a share reports at each stage of a training step. Batch normalisation needs statistics of
 * the whole batch, which no share has alone (synchronised batch norm): a step runs in stages, one
 * per normalisation forward and one per normalisation back, each ending with per-channel sums
 * that the coordinator adds up over the shares and sends back.
 *   - 'moments': Σ y and Σ y² per channel of block `block`'s convolution output, per group of
 *     rows (groups × 2C), over `count` positions in all;
 *   - 'back': Σ dz and Σ dz·ŷ per channel of block `block`, per group, over `count` positions (the
 *     loss and the rows classified right come with the first of them);
 *   - 'done': per group, the gradients of every weight but γ and β (which the coordinator takes
 *     from the sums), of the loss summed over the group's rows and divided by the batch's rows;
 *     the filters' are views into the share's kernel memory, to be read (or copied) at once.
 */
export type StageReport =
  | { kind: 'moments'; block: number; sums: Float64Array; count: number }
  | { kind: 'back'; block: number; sums: Float64Array; count: number; loss?: number; correct?: number }
  | { kind: 'done'; grads: (Float32Array | null)[][] };

/** What the coordinator sends back: a block's batch mean and variance, or its two back sums divided by the positions. */
export type StageReply = { kind: 'moments'; mean: Float32Array; variance: Float32Array } | { kind: 'back'; m1: Float32Array; m2: Float32Array };

/** The share's rows of a batch (whole groups of GROUP_ROWS, but for the batch's last), and the weights to take. */
export interface StageStart {
  weights: Float32Array[];
  x: Float32Array;
  labels: Float32Array;
  rows: number;
  /** Rows of the whole batch, which every gradient is divided by. */
  batchRows: number;
  /** Where dropout's mask is drawn for these rows (none without it). */
  dropout?: DropoutDraw;
}

/** A step run by a helper thread from start to end, its stages handed over in shared memory (stage-exchange.ts). */
export interface StageRun extends StageStart {
  exchange: SharedArrayBuffer;
  helpers: number;
  maxChannels: number;
  maxGroups: number;
  /** This helper's slot (0-based), and the stage number its first report carries. */
  helper: number;
  first: number;
}

/** Per block: where its tensors live in the workspace, by name. */
const key = (b: number, what: string) => `${what}${b}`;

/**
 * One share of a batch on the lab's CNN plan, through the WebAssembly SIMD kernel: a training
 * step in stages (begin, then one reply per stage), or class probabilities with the moving
 * statistics. Holds its workspace from step to step, so nothing is allocated once the first
 * batch has run.
 */
export class CnnShare {
  private readonly ws = new Workspace();
  private weights: Float32Array[] = [];
  private rows = 0;
  private batchRows = 0;
  private labels: Float32Array = new Float32Array(0);
  private draw: DropoutDraw | undefined;
  private stage = 0;
  private tape: DenseTape | undefined;
  /**
   * Per group of rows, the gradient of each weight (null for γ, β and any not reached yet); the
   * filters' are views into the kernel's memory, valid until the next step.
   */
  private grads: (Float32Array | null)[][] = [];

  constructor(private readonly plan: CnnPlan) {}

  /** The share's groups of rows: [first row, rows] each. */
  private get groups(): [number, number][] {
    const out: [number, number][] = [];
    for (let r = 0; r < this.rows; r += GROUP_ROWS) out.push([r, Math.min(GROUP_ROWS, this.rows - r)]);
    return out;
  }

  /** The first stage: block 0's convolution, and its moments. */
  begin(s: StageStart): StageReport {
    this.weights = s.weights;
    this.rows = s.rows;
    this.batchRows = s.batchRows;
    this.labels = s.labels;
    this.draw = s.dropout;
    this.grads = this.groups.map(() => s.weights.map(() => null));
    this.stage = 0;
    this.ws.put('input', s.x);
    return this.convolve(0, 'input');
  }

  /** The next stage, given the whole batch's sums of the last. */
  next(reply: StageReply): StageReport {
    const L = this.plan.blocks.length;
    const s = this.stage++;
    if (reply.kind === 'moments') {
      const b = s;
      this.normalize(b, reply.mean, reply.variance, true);
      if (b + 1 < L) return this.convolve(b + 1, key(b, 'out'));
      return this.head();
    }
    // Back through block b = 2L − 1 − s.
    const b = 2 * L - 1 - s;
    this.backThrough(b, reply.m1, reply.m2);
    if (b === 0) return { kind: 'done', grads: this.filterViews() };
    return this.poolBack(b - 1, key(b, 'dIn'));
  }

  /**
   * The group gradients with the filters' as views into the kernel's memory, not copies: a fresh
   * array of this size costs Chromium more (its pages are new) than the sum it holds. Made once
   * the step is over, since growing the memory (the first steps allocate) would detach them.
   */
  private filterViews(): (Float32Array | null)[][] {
    const memory = this.ws.k.memory.buffer;
    for (const [b, bl] of this.plan.blocks.entries()) {
      const size = bl.kh * bl.kw * bl.cin * bl.cout;
      const dF = this.ws.ptr(key(b, 'dF'), 0);
      this.grads.forEach((group, g) => { group[bl.filter] = new Float32Array(memory, dF + 4 * g * size, size); });
    }
    return this.grads;
  }

  /** Class probabilities of `rows` rows, with the moving statistics (no dropout), `state` the moving means and variances. */
  predict(weights: Float32Array[], state: Float32Array[], x: Float32Array, rows: number): Float32Array {
    this.weights = weights;
    this.rows = rows;
    this.ws.put('input', x);
    let from = 'input';
    this.plan.blocks.forEach((block, b) => {
      this.convolve(b, from, false);
      this.normalize(b, state[block.movingMean], state[block.movingVariance], false);
      from = key(b, 'out');
    });
    return softmaxRows(denseForward(this.plan.denses, weights, this.pooled(), rows, 0, undefined).logits, rows);
  }

  /** pad → convolve block b's input (the buffer named `from`); with `moments`, their sums per group. */
  private convolve(b: number, from: string, moments = true): StageReport {
    const k = this.ws.k;
    const bl = this.plan.blocks[b];
    const B = this.rows;
    const area = bl.H * bl.W;
    const padded = B * (bl.H + bl.kh - 1) * (bl.W + bl.kw - 1) * bl.cin;
    const P = this.ws.ptr(key(b, 'P'), 4 * padded);
    const Y = this.ws.ptr(key(b, 'Y'), 4 * B * area * bl.cout);
    const src = this.ws.ptr(from, 4 * B * area * bl.cin);
    const F = this.ws.put('F', this.weights[bl.filter]);
    k.pad(src, B, bl.H, bl.W, bl.cin, bl.kh, bl.kw, (bl.kh - 1) >> 1, (bl.kw - 1) >> 1, P);
    k.conv(P, F, B, bl.H, bl.W, bl.cin, bl.cout, bl.kh, bl.kw, Y);
    if (!moments) return { kind: 'moments', block: b, sums: new Float64Array(0), count: 0 };
    const groups = this.groups;
    const sums = new Float64Array(groups.length * 2 * bl.cout);
    const at = this.ws.ptr('sums', 16 * bl.cout);
    groups.forEach(([r, n], g) => {
      k.stats(Y + 4 * r * area * bl.cout, n * area, bl.cout, at);
      sums.set(new Float64Array(k.memory.buffer, at, 2 * bl.cout), g * 2 * bl.cout);
    });
    return { kind: 'moments', block: b, sums, count: B * area };
  }

  /** Normalisation with this mean and variance, ReLU and pooling of block b, into its 'out'. */
  private normalize(b: number, mean: Float32Array, variance: Float32Array, keep: boolean): void {
    const bl = this.plan.blocks[b];
    const C = bl.cout;
    const gamma = this.weights[bl.gamma];
    const beta = this.weights[bl.beta];
    const invStd = variance.map((v) => 1 / Math.sqrt(v + bl.epsilon));
    const scale = invStd.map((s, c) => gamma[c] * s);
    const shift = scale.map((s, c) => beta[c] - mean[c] * s);
    if (keep) {
      this.ws.put(key(b, 'mean'), mean);
      this.ws.put(key(b, 'invStd'), invStd);
    }
    const B = this.rows;
    const pooled = B * Math.floor(bl.H / bl.ph) * Math.floor(bl.W / bl.pw) * C;
    const out = this.ws.ptr(key(b, 'out'), 4 * pooled);
    const arg = this.ws.ptr(key(b, 'arg'), pooled);
    const sc = this.ws.put('scale', scale);
    const sh = this.ws.put('shift', shift);
    this.ws.k.normalizeReluPool(this.ws.ptr(key(b, 'Y'), 0), B, bl.H, bl.W, C, sc, sh, bl.ph, bl.pw, out, arg);
  }

  /** The last block's pooled output averaged over its positions: [rows, channels]. */
  private pooled(): Float32Array {
    const last = this.plan.blocks[this.plan.blocks.length - 1];
    const area = Math.floor(last.H / last.ph) * Math.floor(last.W / last.pw);
    const C = last.cout;
    const out = this.ws.f32(key(this.plan.blocks.length - 1, 'out'), this.rows * area * C);
    const h = new Float32Array(this.rows * C);
    for (let r = 0; r < this.rows; r++) {
      for (let a = 0; a < area; a++) for (let c = 0; c < C; c++) h[r * C + c] += out[(r * area + a) * C + c];
      for (let c = 0; c < C; c++) h[r * C + c] /= area;
    }
    return h;
  }

  /** Global average pooling, the dense layers and the loss forward, then back (group by group) to the last block's pooled output. */
  private head(): StageReport {
    const L = this.plan.blocks.length;
    const last = this.plan.blocks[L - 1];
    const C = last.cout;
    const rows = this.rows;
    this.tape = denseForward(this.plan.denses, this.weights, this.pooled(), rows, this.plan.dropout, this.draw);
    const { loss, correct, grad } = softmaxCrossEntropy(this.tape.logits, this.labels, rows, this.batchRows);
    const dh = new Float32Array(rows * C);
    this.groups.forEach(([r, n], g) => {
      const part = (a: Float32Array) => a.subarray(a.length / rows * r, a.length / rows * (r + n));
      const tape: DenseTape = { logits: part(this.tape!.logits), inputs: this.tape!.inputs.map(part), mask: this.tape!.mask && part(this.tape!.mask) };
      dh.set(denseBackward(this.plan.denses, this.weights, tape, part(grad), n, this.grads[g] as Float32Array[]), r * C);
    });
    const area = Math.floor(last.H / last.ph) * Math.floor(last.W / last.pw);
    const dOut = this.ws.f32(key(L, 'dIn'), rows * area * C);
    for (let r = 0; r < rows; r++) {
      for (let a = 0; a < area; a++) for (let c = 0; c < C; c++) dOut[(r * area + a) * C + c] = dh[r * C + c] / area;
    }
    const report = this.poolBack(L - 1, key(L, 'dIn'));
    return { ...report, loss, correct } as StageReport;
  }

  /** Back through block b's pooling and ReLU from the gradient of its pooled output (buffer `from`): the two sums of its normalisation, per group. */
  private poolBack(b: number, from: string): StageReport {
    const bl = this.plan.blocks[b];
    const B = this.rows;
    const area = bl.H * bl.W;
    const pooledArea = Math.floor(bl.H / bl.ph) * Math.floor(bl.W / bl.pw);
    const C = bl.cout;
    const dZ = this.ws.ptr('dZ', 4 * B * area * C);
    const at = this.ws.ptr('sums', 16 * C);
    const k = this.ws.k;
    const dOut = this.ws.ptr(from, 0);
    const arg = this.ws.ptr(key(b, 'arg'), 0);
    const Y = this.ws.ptr(key(b, 'Y'), 0);
    const mean = this.ws.ptr(key(b, 'mean'), 0);
    const invStd = this.ws.ptr(key(b, 'invStd'), 0);
    const groups = this.groups;
    const sums = new Float64Array(groups.length * 2 * C);
    groups.forEach(([r, n], g) => {
      k.poolReluBack(dOut + 4 * r * pooledArea * C, arg + r * pooledArea * C, Y + 4 * r * area * C, n, bl.H, bl.W, C,
        mean, invStd, bl.ph, bl.pw, dZ + 4 * r * area * C, at);
      sums.set(new Float64Array(k.memory.buffer, at, 2 * C), g * 2 * C);
    });
    return { kind: 'back', block: b, sums, count: B * area };
  }

  /** Normalisation's gradient of block b from the whole batch's sums, the filter's gradient per group, and (past block 0) its input's. */
  private backThrough(b: number, m1: Float32Array, m2: Float32Array): void {
    const bl: ConvBlock = this.plan.blocks[b];
    const k = this.ws.k;
    const B = this.rows;
    const C = bl.cout;
    const area = bl.H * bl.W;
    const paddedArea = (bl.H + bl.kh - 1) * (bl.W + bl.kw - 1);
    const invStd = this.ws.f32(key(b, 'invStd'), C).slice();
    const gamma = this.weights[bl.gamma];
    const a = this.ws.put('a', invStd.map((s, c) => gamma[c] * s));
    const pm1 = this.ws.put('m1', m1);
    const pm2 = this.ws.put('m2', m2);
    const dZ = this.ws.ptr('dZ', 4 * B * area * C);
    const Y = this.ws.ptr(key(b, 'Y'), 0);
    k.normalizeBack(Y, dZ, B * area, C, this.ws.ptr(key(b, 'mean'), 0), this.ws.ptr(key(b, 'invStd'), 0), a, pm1, pm2);
    const size = bl.kh * bl.kw * bl.cin * C;
    const groups = this.groups;
    const dF = this.ws.ptr(key(b, 'dF'), 4 * size * groups.length);
    const P = this.ws.ptr(key(b, 'P'), 0);
    groups.forEach(([r, n], g) => {
      k.filterGradient(P + 4 * r * paddedArea * bl.cin, dZ + 4 * r * area * C, n, bl.H, bl.W, bl.cin, C, bl.kh, bl.kw, dF + 4 * g * size);
    });
    if (b === 0) return;
    // The input's gradient: dY, padded, convolved with the filter turned half a circle.
    const Ff = this.ws.ptr('Ff', 4 * size);
    k.flip(this.ws.put('F', this.weights[bl.filter]), bl.kh, bl.kw, bl.cin, C, Ff);
    const padded = this.ws.ptr('dYpad', 4 * B * paddedArea * C);
    k.pad(this.ws.ptr('dZ', 0), B, bl.H, bl.W, C, bl.kh, bl.kw, (bl.kh - 1) >> 1, (bl.kw - 1) >> 1, padded);
    const dIn = this.ws.ptr(key(b, 'dIn'), 4 * B * area * bl.cin);
    k.conv(padded, Ff, B, bl.H, bl.W, C, bl.cin, bl.kh, bl.kw, dIn);
  }
}
