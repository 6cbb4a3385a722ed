import { dropoutMask, type DropoutDraw } from './hash-random';

/**
 * Dense layers, dropout and softmax cross-entropy on plain float32 arrays, forward and back:
 * what the fast LSTM's and the fast CNN's array models run after their WebAssembly kernels. A
 * share of a batch costs well under a millisecond this way; through tfjs's ops and tape the same
 * layers cost ~5 ms, paid again by every thread of a data-parallel batch.
 */

export interface DenseLayer {
  units: number;
  relu: boolean;
  /** Indices of its kernel [inputs, units] and bias [units] in the model's weights. */
  kernel: number;
  bias: number;
}

/** a [n, k] · b [k, m]. */
export function times(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float32Array {
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const s = a[i * k + p];
      if (s === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += s * b[p * m + j];
    }
  }
  return out;
}

/** aᵀ · g for a [n, k], g [n, m]: [k, m]. */
export function transposeTimes(a: Float32Array, g: Float32Array, n: number, k: number, m: number): Float32Array {
  const out = new Float32Array(k * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const s = a[i * k + p];
      if (s === 0) continue;
      for (let j = 0; j < m; j++) out[p * m + j] += s * g[i * m + j];
    }
  }
  return out;
}

/** g · bᵀ for g [n, m], b [k, m]: [n, k]. */
export function timesTranspose(g: Float32Array, b: Float32Array, n: number, m: number, k: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += g[i * m + j] * b[p * m + j];
      out[i * k + p] = s;
    }
  }
  return out;
}

export function columnSums(g: Float32Array, n: number, m: number): Float32Array {
  const out = new Float32Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j] += g[i * m + j];
  return out;
}

/** What the dense layers' forward pass keeps for the way back. */
export interface DenseTape {
  logits: Float32Array;
  inputs: Float32Array[];
  mask?: Float32Array;
}

/**
 * The dense layers on `rows` rows of `h`, inverted dropout (as tf.dropout: kept values scaled by
 * 1 / (1 − rate)) before the last one when training, its mask drawn at `draw`'s place.
 */
export function denseForward(layers: readonly DenseLayer[], weights: readonly Float32Array[], h: Float32Array, rows: number,
  dropout: number, draw: DropoutDraw | undefined): DenseTape {
  const inputs: Float32Array[] = [];
  let mask: Float32Array | undefined;
  let width = h.length / rows;
  layers.forEach((d, i) => {
    if (i === layers.length - 1 && draw && dropout > 0) {
      const m = dropoutMask(draw, rows, width, dropout);
      const kept = new Float32Array(h.length);
      for (let k = 0; k < m.length; k++) kept[k] = h[k] * m[k];
      mask = m;
      h = kept;
    }
    inputs.push(h);
    const out = times(h, weights[d.kernel], rows, width, d.units);
    const bias = weights[d.bias];
    for (let k = 0; k < out.length; k++) {
      const v = out[k] + bias[k % d.units];
      out[k] = d.relu && v < 0 ? 0 : v;
    }
    h = out;
    width = d.units;
  });
  return { logits: h, inputs, mask };
}

/**
 * Softmax cross-entropy of `rows` rows: the summed loss, the count classified right, and the
 * gradient of the loss summed over rows divided by `divisor` (the batch's row count: a share of a
 * data-parallel batch divides by the whole batch's).
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: ArrayLike<number>,
  rows: number,
  divisor: number,
): { loss: number; correct: number; grad: Float32Array } {
  const classes = logits.length / rows;
  const grad = new Float32Array(rows * classes);
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    const label = labels[r];
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      if (logits[o + c] > max) {
        max = logits[o + c];
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c] - max);
    loss += Math.log(sum) + max - logits[o + label];
    if (best === label) correct++;
    for (let c = 0; c < classes; c++) grad[o + c] = (Math.exp(logits[o + c] - max) / sum - (c === label ? 1 : 0)) / divisor;
  }
  return { loss, correct, grad };
}

/**
 * The way back through the dense layers from the logits' gradient: each layer's weight
 * gradients go into `grads` at its indices; returns the gradient of the first layer's input.
 */
export function denseBackward(layers: readonly DenseLayer[], weights: readonly Float32Array[], tape: DenseTape, g: Float32Array, rows: number,
  grads: Float32Array[]): Float32Array {
  for (let i = layers.length - 1; i >= 0; i--) {
    const d = layers[i];
    const input = tape.inputs[i];
    const n = input.length / rows;
    grads[d.kernel] = transposeTimes(input, g, rows, n, d.units);
    grads[d.bias] = columnSums(g, rows, d.units);
    const back = timesTranspose(g, weights[d.kernel], rows, d.units, n);
    if (i === layers.length - 1 && tape.mask) for (let k = 0; k < back.length; k++) back[k] *= tape.mask[k];
    if (i > 0 && layers[i - 1].relu) {
      // The ReLU's output is this layer's input before dropout scaled it; zero where it is zero.
      for (let k = 0; k < back.length; k++) if (input[k] === 0) back[k] = 0;
    }
    g = back;
  }
  return g;
}

/** Softmax of each row, in place. */
export function softmaxRows(logits: Float32Array, rows: number): Float32Array {
  const classes = logits.length / rows;
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = row.reduce((m, v) => Math.max(m, v), -Infinity);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += row[c] = Math.exp(row[c] - max);
    for (let c = 0; c < classes; c++) row[c] /= sum;
  }
  return logits;
}
