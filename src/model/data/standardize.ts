import { LIMITS } from '../../dataset/limits';

/** Per-coefficient mean and standard deviation, fitted on the training split only. */
export interface Standardization {
  mean: number[];
  std: number[];
}

export function fitStandardization(x: Float32Array, indices: number[], frames: number, coefficients: number): Standardization {
  const sum = new Float64Array(coefficients);
  const sumSq = new Float64Array(coefficients);
  const size = frames * coefficients;
  for (const i of indices) {
    const base = i * size;
    for (let f = 0; f < frames; f++) {
      for (let k = 0; k < coefficients; k++) {
        const v = x[base + f * coefficients + k];
        sum[k] += v;
        sumSq[k] += v * v;
      }
    }
  }
  const n = Math.max(1, indices.length * frames);
  const mean = Array.from(sum, (s) => s / n);
  // A coefficient that hardly varies on the training side (a deviation below the lab's floor,
  // 0 included) is left unscaled: dividing by it would blow rounding noise up to huge values,
  // and every reader refuses such a deviation in a model.
  const std = Array.from(sumSq, (s, k) => {
    const d = Math.sqrt(Math.max(0, s / n - mean[k] * mean[k]));
    return d >= LIMITS.minDeviation ? d : 1;
  });
  return { mean, std };
}

/** Standardises a frames × coefficients block in place. */
export function applyStandardization(x: Float32Array, s: Standardization, coefficients: number): void {
  for (let i = 0; i < x.length; i++) {
    const k = i % coefficients;
    x[i] = (x[i] - s.mean[k]) / s.std[k];
  }
}
