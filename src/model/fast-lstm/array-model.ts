import { simdLstmBackward, simdLstmForward, type SimdLstmCall } from './simd-lstm';

/** Where each layer's weights sit in the model's list of trainable variables, and its sizes. */
export interface ArrayLayers {
  lstms: { units: number; kernel: number; recurrent: number; bias: number }[];
  denses: { units: number; relu: boolean; kernel: number; bias: number }[];
  /** Dropout before the last dense layer, when training. */
  dropout: number;
}

export interface ArrayGradients {
  grads: Float32Array[];
  loss: number;
  accuracy: number;
  rows: number;
}

/** Keys of the kernel's layer buffers: negative, apart from the tensor ids that key the tfjs op's. */
let nextKey = -1;

/**
 * The recipe's network (LSTM… → Dense relu → Dropout → Dense, softmax cross-entropy) forward and
 * backward on plain float32 arrays: the LSTM layers through the WebAssembly SIMD kernel, the dense
 * layers, dropout and the loss as loops here. Beside the kernel's work a share of a batch costs
 * well under a millisecond this way; through tfjs's ops and tape (tf.variableGrads) the same
 * dense layers, loss and copies cost ~5 ms, paid again by every thread of a data-parallel batch.
 * The same numbers as the tfjs path (unit test); that path stays for the backends and sizes the
 * kernel does not take.
 */
export class ArrayModel {
  private readonly keys: number[];

  constructor(private readonly layers: ArrayLayers, private readonly random: () => number) {
    this.keys = layers.lstms.map(() => nextKey--);
  }

  /** The gradient of the mean loss over `rows` segments for every weight, with the loss and accuracy. */
  gradients(weights: readonly Float32Array[], x: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): ArrayGradients {
    const f = this.forward(weights, x, rows, frames, coefficients, true);
    const classes = this.layers.denses[this.layers.denses.length - 1].units;
    const grads: Float32Array[] = new Array(weights.length);
    // Softmax cross-entropy, mean over rows: dlogits = (softmax − one-hot) / rows.
    let g: Float32Array = new Float32Array(rows * classes);
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * classes;
      const label = labels[r];
      let best = 0;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        if (f.logits[o + c] > max) {
          max = f.logits[o + c];
          best = c;
        }
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(f.logits[o + c] - max);
      loss += Math.log(sum) + max - f.logits[o + label];
      if (best === label) correct++;
      for (let c = 0; c < classes; c++) g[o + c] = (Math.exp(f.logits[o + c] - max) / sum - (c === label ? 1 : 0)) / rows;
    }
    const denses = this.layers.denses;
    for (let i = denses.length - 1; i >= 0; i--) {
      const d = denses[i];
      const input = f.denseInputs[i];
      const n = input.length / rows;
      grads[d.kernel] = transposeTimes(input, g, rows, n, d.units);
      grads[d.bias] = columnSums(g, rows, d.units);
      let back = timesTranspose(g, weights[d.kernel], rows, d.units, n);
      if (i === denses.length - 1 && f.mask) for (let k = 0; k < back.length; k++) back[k] *= f.mask[k];
      if (i > 0 && denses[i - 1].relu) {
        const out = f.denseInputs[i];
        // The ReLU's output is this layer's input before dropout scaled it; zero where it is zero.
        for (let k = 0; k < back.length; k++) if (out[k] === 0) back[k] = 0;
      }
      g = back;
    }
    for (let l = this.layers.lstms.length - 1; l >= 0; l--) {
      const lstm = this.layers.lstms[l];
      const b = simdLstmBackward(f.calls[l], g, l > 0);
      grads[lstm.kernel] = b.dW;
      grads[lstm.recurrent] = b.dU;
      grads[lstm.bias] = b.db;
      if (b.dx) g = b.dx;
    }
    return { grads, loss: loss / rows, accuracy: correct / rows, rows };
  }

  /** Class probabilities of `rows` segments, row after row (no dropout). */
  predict(weights: readonly Float32Array[], x: Float32Array, rows: number, frames: number, coefficients: number): Float32Array {
    const { logits } = this.forward(weights, x, rows, frames, coefficients, false);
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

  private forward(weights: readonly Float32Array[], x: Float32Array, rows: number, frames: number, coefficients: number, training: boolean) {
    const { lstms, denses, dropout } = this.layers;
    const calls: SimdLstmCall[] = [];
    let h = x;
    let inputs = coefficients;
    lstms.forEach((l, i) => {
      const last = i === lstms.length - 1;
      const { out, call } = simdLstmForward(this.keys[i], h, weights[l.kernel], weights[l.recurrent], weights[l.bias], rows, frames, inputs, l.units, !last);
      calls.push(call);
      h = out;
      inputs = l.units;
    });
    const denseInputs: Float32Array[] = [];
    let mask: Float32Array | undefined;
    denses.forEach((d, i) => {
      if (i === denses.length - 1 && training && dropout > 0) {
        // Inverted dropout, as tf.dropout: kept values scaled by 1 / (1 − rate).
        const keep = 1 - dropout;
        mask = Float32Array.from({ length: h.length }, () => (this.random() < keep ? 1 / keep : 0));
        h = h.map((v, k) => v * mask![k]);
      }
      denseInputs.push(h);
      const out = times(h, weights[d.kernel], rows, inputs, d.units);
      const bias = weights[d.bias];
      for (let k = 0; k < out.length; k++) {
        const v = out[k] + bias[k % d.units];
        out[k] = d.relu && v < 0 ? 0 : v;
      }
      h = out;
      inputs = d.units;
    });
    return { logits: h, calls, denseInputs, mask };
  }
}

/** a [n, k] · b [k, m]. */
function times(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float32Array {
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
function transposeTimes(a: Float32Array, g: Float32Array, n: number, k: number, m: number): Float32Array {
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
function timesTranspose(g: Float32Array, b: Float32Array, n: number, m: number, k: number): Float32Array {
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

function columnSums(g: Float32Array, n: number, m: number): Float32Array {
  const out = new Float32Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j] += g[i * m + j];
  return out;
}
