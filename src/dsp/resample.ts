/**
 * Band-limited resampling by windowed-sinc interpolation (the method of resampy, which librosa
 * used for years): each output sample is a Kaiser-windowed sinc sum over the input around its
 * position in time. The filter is tabulated once per quality, finely enough that linear
 * interpolation between table entries is far below 16-bit noise.
 */

export interface ResampleQuality {
  /** Zero crossings of the sinc on each side: longer filters give a sharper cut-off. */
  zeroCrossings: number;
  /** Kaiser window shape; 9.6 puts the stop band near −90 dB. */
  beta: number;
  /** Fraction of the lower Nyquist frequency kept in the pass band. */
  rolloff: number;
}

export const DEFAULT_QUALITY: ResampleQuality = { zeroCrossings: 32, beta: 9.6, rolloff: 0.95 };
const TABLE_DENSITY = 512;

const tables = new Map<string, Float64Array>();

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** h(u) = sinc(u)·kaiser(u / zeroCrossings) for u = i / TABLE_DENSITY, i = 0 … zeroCrossings·density (+1 guard). */
function filterTable(q: ResampleQuality): Float64Array {
  const key = `${q.zeroCrossings}/${q.beta}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const n = q.zeroCrossings * TABLE_DENSITY;
  const table = new Float64Array(n + 2);
  const norm = besselI0(q.beta);
  for (let i = 0; i <= n; i++) {
    const u = i / TABLE_DENSITY;
    const sinc = i === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    const r = u / q.zeroCrossings;
    table[i] = sinc * (besselI0(q.beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm);
  }
  tables.set(key, table);
  return table;
}

/** Half the filter's length, in input samples: how far around its time an output sample looks. */
function halfWidthOf(fromRate: number, toRate: number, quality: ResampleQuality): number {
  return quality.zeroCrossings / (Math.min(1, toRate / fromRate) * quality.rolloff);
}

/**
 * Input samples that the first `outCount` output samples depend on: resampling that many input
 * samples gives the same first `outCount` outputs as resampling the whole signal.
 */
export function inputNeeded(outCount: number, fromRate: number, toRate: number, quality = DEFAULT_QUALITY): number {
  if (fromRate === toRate) return outCount;
  return Math.ceil((outCount * fromRate) / toRate + halfWidthOf(fromRate, toRate, quality)) + 2;
}

/**
 * Resamples mono `input` from `fromRate` to `toRate`; the output has ceil(n · to / from) samples,
 * or `maxOut` when fewer are wanted.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number, quality = DEFAULT_QUALITY, maxOut = Infinity): Float32Array {
  if (fromRate === toRate) return input.length > maxOut ? input.subarray(0, maxOut) : input;
  if (!(fromRate > 0 && toRate > 0)) throw new RangeError(`sample rates must be positive, got ${fromRate} → ${toRate}`);
  const ratio = toRate / fromRate;
  const outLength = Math.min(maxOut, Math.ceil(input.length * ratio));
  const out = new Float32Array(outLength);
  const table = filterTable(quality);
  // Downsampling narrows the filter to the new Nyquist frequency; upsampling keeps the old one.
  const cutoff = Math.min(1, ratio) * quality.rolloff;
  const halfWidth = halfWidthOf(fromRate, toRate, quality);
  const scale = cutoff * TABLE_DENSITY;
  const last = input.length - 1;
  for (let n = 0; n < outLength; n++) {
    const t = n / ratio;
    const lo = Math.max(0, Math.ceil(t - halfWidth));
    const hi = Math.min(last, Math.floor(t + halfWidth));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const pos = Math.abs(t - k) * scale;
      const i = pos | 0;
      const frac = pos - i;
      acc += input[k] * (table[i] + frac * (table[i + 1] - table[i]));
    }
    out[n] = acc * cutoff;
  }
  return out;
}
