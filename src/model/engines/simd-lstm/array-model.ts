import type { LstmSpec } from '../../architectures/spec';
import { denseBackward, denseForward, softmaxCrossEntropy, softmaxRows, type DenseLayer } from '../../kernels/dense-math';
import type { DropoutDraw } from '../../kernels/hash-random';
import { simdLstmBackward, simdLstmForward, type SimdLstmCall } from './simd-lstm';

/** Where each layer's weights sit in the model's list of trainable variables, and its sizes. */
export interface ArrayLayers {
  lstms: { units: number; kernel: number; recurrent: number; bias: number }[];
  denses: DenseLayer[];
  /** Dropout before the last dense layer, when training. */
  dropout: number;
}

/** Where buildModel puts each layer's weights for `spec`: each LSTM's kernel, recurrent kernel and bias, then each dense layer's kernel and bias. */
export function arrayLayersOf(spec: LstmSpec): ArrayLayers {
  const n = spec.lstmUnits.length;
  return {
    lstms: spec.lstmUnits.map((units, i) => ({ units, kernel: 3 * i, recurrent: 3 * i + 1, bias: 3 * i + 2 })),
    denses: [
      { units: spec.denseUnits, relu: true, kernel: 3 * n, bias: 3 * n + 1 },
      { units: spec.classes, relu: false, kernel: 3 * n + 2, bias: 3 * n + 3 },
    ],
    dropout: spec.dropout,
  };
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
 * layers, dropout and the loss as loops (kernels/dense-math.ts). The same numbers as tfjs's
 * layers (unit test, against tests/support/lstm-oracle.ts).
 */
export class ArrayModel {
  private readonly keys: number[];

  constructor(private readonly layers: ArrayLayers) {
    this.keys = layers.lstms.map(() => nextKey--);
  }

  /**
   * The gradient of the mean loss over `rows` segments for every weight, with the loss and
   * accuracy; dropout's mask drawn at `draw` (none without one).
   */
  gradients(weights: readonly Float32Array[], x: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number,
    draw?: DropoutDraw): ArrayGradients {
    const f = this.forward(weights, x, rows, frames, coefficients, draw);
    const grads: Float32Array[] = new Array(weights.length);
    // Softmax cross-entropy, mean over rows: dlogits = (softmax − one-hot) / rows.
    const { loss, correct, grad } = softmaxCrossEntropy(f.dense.logits, labels, rows, rows);
    let g = denseBackward(this.layers.denses, weights, f.dense, grad, rows, grads);
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
    return softmaxRows(this.forward(weights, x, rows, frames, coefficients, undefined).dense.logits, rows);
  }

  private forward(weights: readonly Float32Array[], x: Float32Array, rows: number, frames: number, coefficients: number, draw: DropoutDraw | undefined) {
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
    return { calls, dense: denseForward(denses, weights, h, rows, dropout, draw) };
  }
}
