/**
 * Power spectrum of a real frame of power-of-two size N, computed as one complex FFT of size N/2
 * over the even/odd samples packed as real/imaginary parts, then split into the N/2+1 real-input
 * bins (the trick fft.js and most real FFTs use). Twiddles and the bit-reversal table are
 * precomputed once per size, so a frame costs only the butterflies.
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly bitrev: number[];
  private readonly oddStages: boolean;
  private readonly twiddles: number[];
  private readonly splitCos: number[];
  private readonly splitSin: number[];
  private readonly unitWindow: number[];
  private readonly re: number[];
  private readonly im: number[];

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 4, got ${size}`);
    this.size = size;
    const m = size >> 1;
    this.half = m;
    this.bitrev = bitReversal(m);
    this.oddStages = hasOddStages(m);
    this.twiddles = mergedTwiddles(m, this.oddStages ? 2 : 4);
    ({ cos: this.splitCos, sin: this.splitSin } = splitTwiddles(size));
    this.unitWindow = new Array<number>(size).fill(1);
    this.re = new Array<number>(m).fill(0.5);
    this.im = new Array<number>(m).fill(0.5);
  }

  /** Writes |X[k]|² for k = 0…N/2 of the real frame `x` (length N) into `out` (length N/2+1). */
  power(x: ArrayLike<number>, out: Float64Array | number[]): void {
    this.powerWindowed(x, 0, this.unitWindow, out);
  }

  /** |X[k]|² of signal[offset, offset+N) times `window`, without copying the frame first. */
  powerWindowed(signal: ArrayLike<number>, offset: number, window: ArrayLike<number>, out: Float64Array | number[]): void {
    this.loadFirstPass(signal, offset, window);
    this.butterflies();
    this.splitPower(out);
  }

  /**
   * Reads the windowed samples in bit-reversed order straight into the first pass's butterflies
   * (a 2- or 4-point DFT with unit twiddles), saving a full write and read of the buffers.
   */
  private loadFirstPass(x: ArrayLike<number>, offset: number, w: ArrayLike<number>): void {
    const m = this.half;
    const re = this.re;
    const im = this.im;
    const rev = this.bitrev;
    if (this.oddStages) {
      for (let a = 0; a < m; a += 2) {
        const p = 2 * rev[a], q = 2 * rev[a + 1];
        const ar = x[offset + p] * w[p], ai = x[offset + p + 1] * w[p + 1];
        const br = x[offset + q] * w[q], bi = x[offset + q + 1] * w[q + 1];
        re[a] = ar + br; im[a] = ai + bi;
        re[a + 1] = ar - br; im[a + 1] = ai - bi;
      }
      return;
    }
    for (let a = 0; a < m; a += 4) {
      const p0 = 2 * rev[a], p1 = 2 * rev[a + 1], p2 = 2 * rev[a + 2], p3 = 2 * rev[a + 3];
      const x0r = x[offset + p0] * w[p0], x0i = x[offset + p0 + 1] * w[p0 + 1];
      const x1r = x[offset + p1] * w[p1], x1i = x[offset + p1 + 1] * w[p1 + 1];
      const x2r = x[offset + p2] * w[p2], x2i = x[offset + p2 + 1] * w[p2 + 1];
      const x3r = x[offset + p3] * w[p3], x3i = x[offset + p3 + 1] * w[p3 + 1];
      const a1r = x0r + x1r, a1i = x0i + x1i;
      const b1r = x0r - x1r, b1i = x0i - x1i;
      const c1r = x2r + x3r, c1i = x2i + x3i;
      const d1r = x2r - x3r, d1i = x2i - x3i;
      re[a] = a1r + c1r; im[a] = a1i + c1i;
      re[a + 2] = a1r - c1r; im[a + 2] = a1i - c1i;
      re[a + 1] = b1r + d1i; im[a + 1] = b1i - d1r;
      re[a + 3] = b1r - d1i; im[a + 3] = b1i + d1r;
    }
  }

  /** Splits the half-size spectrum into real-input bins k and m−k together (they share loads). */
  private splitPower(out: Float64Array | number[]): void {
    const m = this.half;
    const re = this.re;
    const im = this.im;
    const c = this.splitCos;
    const s = this.splitSin;
    // k = 0 and k = m both come from Z[0].
    out[0] = (re[0] + im[0]) * (re[0] + im[0]);
    out[m] = (re[0] - im[0]) * (re[0] - im[0]);
    for (let k = 1; k <= m >> 1; k++) {
      const b = m - k;
      const zr = re[k], zi = im[k], wr = re[b], wi = im[b];
      const er = 0.5 * (zr + wr);
      const ei = 0.5 * (zi - wi);
      const or = 0.5 * (zi + wi);
      const oi = -0.5 * (zr - wr);
      // Bin k: E + W^k·O. Bin m−k: conj(E) + W^(m−k)·conj(O), and W^(m−k) = −conj(W^k).
      const ck = c[k], sk = s[k];
      let xr = er + or * ck + oi * sk;
      let xi = ei + oi * ck - or * sk;
      out[k] = xr * xr + xi * xi;
      xr = er - or * ck - oi * sk;
      xi = -ei + oi * ck - or * sk;
      out[b] = xr * xr + xi * xi;
    }
  }

  /** Complex spectrum of the real frame: bins 0…N/2 as (re, im) pairs, for tests and inspection. */
  spectrum(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
    this.loadFirstPass(x, 0, this.unitWindow);
    this.butterflies();
    const m = this.half;
    const outRe = new Float64Array(m + 1);
    const outIm = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      const a = k === m ? 0 : k;
      const b = k === 0 ? 0 : m - k;
      const zr = this.re[a], zi = this.im[a], wr = this.re[b], wi = this.im[b];
      const er = 0.5 * (zr + wr), ei = 0.5 * (zi - wi);
      const or = 0.5 * (zi + wi), oi = -0.5 * (zr - wr);
      outRe[k] = er + or * this.splitCos[k] + oi * this.splitSin[k];
      outIm[k] = ei + oi * this.splitCos[k] - or * this.splitSin[k];
    }
    return { re: outRe, im: outIm };
  }

  /**
   * In-place FFT of size N/2 over z[n] = x[2n] + i·x[2n+1], already in bit-reversed order. Two
   * radix-2 stages are merged per pass (radix-2²): half the passes over memory, and the second
   * stage's odd twiddle is the first one times −i, which costs no multiply.
   */
  private butterflies(): void {
    const m = this.half;
    const re = this.re;
    const im = this.im;
    // The first pass ran while loading.
    let h = this.oddStages ? 2 : 4;
    const tw = this.twiddles;
    let twBase = 0;
    for (; h < m; h <<= 2) {
      const span = h << 2;
      for (let block = 0; block < m; block += span) {
        for (let j = 0, t = twBase; j < h; j++, t += 4) {
          const w1r = tw[t], w1i = tw[t + 1], w2r = tw[t + 2], w2i = tw[t + 3];
          const a = block + j, b = a + h, c = b + h, d = c + h;
          // First stage: (a, b) and (c, d) with twiddle w1.
          let tr = re[b] * w1r - im[b] * w1i;
          let ti = re[b] * w1i + im[b] * w1r;
          const a1r = re[a] + tr, a1i = im[a] + ti;
          const b1r = re[a] - tr, b1i = im[a] - ti;
          tr = re[d] * w1r - im[d] * w1i;
          ti = re[d] * w1i + im[d] * w1r;
          const c1r = re[c] + tr, c1i = im[c] + ti;
          const d1r = re[c] - tr, d1i = im[c] - ti;
          // Second stage: (a, c) with w2 and (b, d) with w3 = −i·w2.
          const vr = c1r * w2r - c1i * w2i;
          const vi = c1r * w2i + c1i * w2r;
          re[a] = a1r + vr; im[a] = a1i + vi;
          re[c] = a1r - vr; im[c] = a1i - vi;
          const qr = d1r * w2i + d1i * w2r; // (−i)(w2·d1), real part
          const qi = -(d1r * w2r - d1i * w2i);
          re[b] = b1r + qr; im[b] = b1i + qi;
          re[d] = b1r - qr; im[d] = b1i - qi;
        }
      }
      twBase += 4 * h;
    }
  }
}

/** log2(half) odd: one plain radix-2 pass first, then merged pairs of stages. */
export function hasOddStages(half: number): boolean {
  return Math.log2(half) % 2 === 1;
}

/** cos and sin of 2πk/N for k = 0…N/2: the twiddles that split a half-size spectrum into real bins. */
export function splitTwiddles(size: number): { cos: number[]; sin: number[] } {
  const half = size >> 1;
  // Filled with a double first so V8 keeps them as packed double arrays.
  const cos = new Array<number>(half + 1).fill(0.5);
  const sin = new Array<number>(half + 1).fill(0.5);
  for (let k = 0; k <= half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  return { cos, sin };
}

/** Per merged pass with quarter-span h: for j < h, w1 = e^(−2πij/2h) and w2 = e^(−2πij/4h), interleaved. */
export function mergedTwiddles(m: number, firstH: number): number[] {
  const out: number[] = [];
  for (let h = firstH; h < m; h <<= 2) {
    for (let j = 0; j < h; j++) {
      const a1 = (-2 * Math.PI * j) / (2 * h);
      const a2 = (-2 * Math.PI * j) / (4 * h);
      out.push(Math.cos(a1), Math.sin(a1), Math.cos(a2), Math.sin(a2));
    }
  }
  return out;
}

export function bitReversal(n: number): number[] {
  const bits = Math.log2(n);
  const rev = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r;
  }
  return rev;
}
