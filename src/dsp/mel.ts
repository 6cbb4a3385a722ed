/** Slaney mel scale and filterbank, as librosa.filters.mel(htk=False, norm='slaney'). */

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

export interface MelOptions {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fmin?: number;
  fmax?: number;
}

/**
 * One triangular filter per band, kept sparse: only the bins where it is non-zero. Most of a
 * dense 128 × 1025 matrix is zeros, so applying the sparse form is ~60× less arithmetic.
 */
export interface SparseFilter {
  start: number;
  weights: Float64Array;
}

/** Dense filterbank, row-major nMels × (nFft/2+1), rounded to float32 as librosa returns it. */
export function melFilterbank(opts: MelOptions): Float32Array {
  const { nMels, nFft, sampleRate } = opts;
  const fmin = opts.fmin ?? 0;
  const fmax = opts.fmax ?? sampleRate / 2;
  const nBins = (nFft >> 1) + 1;
  const fftFreqs = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) fftFreqs[k] = (k * sampleRate) / nFft;
  const melMin = hzToMel(fmin);
  const melMax = hzToMel(fmax);
  const melF = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) melF[i] = melToHz(melMin + ((melMax - melMin) * i) / (nMels + 1));
  const out = new Float32Array(nMels * nBins);
  for (let m = 0; m < nMels; m++) {
    const lowerDiff = melF[m + 1] - melF[m];
    const upperDiff = melF[m + 2] - melF[m + 1];
    const enorm = 2 / (melF[m + 2] - melF[m]);
    for (let k = 0; k < nBins; k++) {
      const lower = (fftFreqs[k] - melF[m]) / lowerDiff;
      const upper = (melF[m + 2] - fftFreqs[k]) / upperDiff;
      const w = Math.max(0, Math.min(lower, upper));
      out[m * nBins + k] = w * enorm;
    }
  }
  return out;
}

export function sparseMelFilterbank(opts: MelOptions): SparseFilter[] {
  const dense = melFilterbank(opts);
  const nBins = (opts.nFft >> 1) + 1;
  const filters: SparseFilter[] = [];
  for (let m = 0; m < opts.nMels; m++) {
    const row = dense.subarray(m * nBins, (m + 1) * nBins);
    let first = row.findIndex((v) => v !== 0);
    if (first < 0) first = 0;
    let last = nBins - 1;
    while (last > first && row[last] === 0) last--;
    filters.push({ start: first, weights: Float64Array.from(row.subarray(first, last + 1)) });
  }
  return filters;
}
