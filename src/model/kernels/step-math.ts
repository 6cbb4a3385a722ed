/**
 * One LSTM time step, forward and backward, as plain loops over Float32Arrays: the body of the
 * CPU and WASM kernels. Gate order i, f, c, o (tf.layers.lstm's), sigmoid and tanh.
 *
 * xw: [B, T, 4H] input projections (x·W + b) of all steps; hu: [B, 4H] = h_{t-1}·U.
 */
export interface StepShape {
  batch: number;
  steps: number;
  units: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function forwardStep(
  s: StepShape, t: number, xw: Float32Array, hu: Float32Array, cPrev: Float32Array, hOut: Float32Array, cOut: Float32Array,
): void {
  const { batch, steps, units: h } = s;
  const g4 = 4 * h;
  for (let b = 0; b < batch; b++) {
    const xo = (b * steps + t) * g4;
    const uo = b * g4;
    const so = b * h;
    for (let j = 0; j < h; j++) {
      const i = sigmoid(xw[xo + j] + hu[uo + j]);
      const f = sigmoid(xw[xo + h + j] + hu[uo + h + j]);
      const g = Math.tanh(xw[xo + 2 * h + j] + hu[uo + 2 * h + j]);
      const o = sigmoid(xw[xo + 3 * h + j] + hu[uo + 3 * h + j]);
      const c = f * cPrev[so + j] + i * g;
      cOut[so + j] = c;
      hOut[so + j] = o * Math.tanh(c);
    }
  }
}

/**
 * Gradients through one step. dy: [B, Ty, H] gradient of the layer's output, read at step tOut
 * (or not at all when tOut < 0); dhRec: gradient reaching h_t from step t+1; dcNext: gradient
 * reaching c_t from step t+1. Writes dz (the gates' pre-activations, [B, 4H]) and the gradient
 * for c_{t-1}. The gates are recomputed from xw and hu rather than stored.
 */
export function backwardStep(
  s: StepShape, t: number, tOut: number, outSteps: number,
  xw: Float32Array, hu: Float32Array, cPrev: Float32Array, dy: Float32Array, dhRec: Float32Array, dcNext: Float32Array,
  dz: Float32Array, dcPrevOut: Float32Array,
): void {
  const { batch, steps, units: h } = s;
  const g4 = 4 * h;
  for (let b = 0; b < batch; b++) {
    const xo = (b * steps + t) * g4;
    const uo = b * g4;
    const so = b * h;
    const yo = (b * outSteps + tOut) * h;
    for (let j = 0; j < h; j++) {
      const i = sigmoid(xw[xo + j] + hu[uo + j]);
      const f = sigmoid(xw[xo + h + j] + hu[uo + h + j]);
      const g = Math.tanh(xw[xo + 2 * h + j] + hu[uo + 2 * h + j]);
      const o = sigmoid(xw[xo + 3 * h + j] + hu[uo + 3 * h + j]);
      const cp = cPrev[so + j];
      const tc = Math.tanh(f * cp + i * g);
      const dh = (tOut >= 0 ? dy[yo + j] : 0) + dhRec[so + j];
      const dc = dcNext[so + j] + dh * o * (1 - tc * tc);
      dz[uo + j] = dc * g * i * (1 - i);
      dz[uo + h + j] = dc * cp * f * (1 - f);
      dz[uo + 2 * h + j] = dc * i * (1 - g * g);
      dz[uo + 3 * h + j] = dh * tc * o * (1 - o);
      dcPrevOut[so + j] = dc * f;
    }
  }
}
