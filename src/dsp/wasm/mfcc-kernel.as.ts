// AssemblyScript, not TypeScript: compiled to WebAssembly (SIMD) by `npm run build:wasm`, which
// writes mfcc-kernel.wasm.ts. The same MFCC as src/dsp/mfcc.ts (read that first: it is the
// readable float64 version); this one works in float32, four lanes at a time, because the FFT
// is most of the cost of feature extraction and float32 keeps librosa parity (librosa itself
// stores its STFT as complex64).
//
// The JS side (wasm-mfcc.ts) computes every table with the src/dsp functions, allocates it here
// with allocate() and passes the pointers to configure(). This file holds only the hot loops.

// @ts-ignore: decorator
@inline const AMIN: f32 = 1e-10;
// @ts-ignore: decorator
@inline const TOP_DB: f32 = 80;

let nFft: i32 = 0;
let half: i32 = 0;
let hop: i32 = 0;
let nMels: i32 = 0;
/** nMels rounded up to a multiple of 4: the row stride of dB rows and the DCT matrix. */
let melStride: i32 = 0;
let nMfcc: i32 = 0;
let oddStages: bool = false;

let window: usize = 0; //      f32[nFft]
let rev2: usize = 0; //        i32[half]: 2·bitrev(a), where complex input a starts in the frame
let twiddles: usize = 0; //    per pass of quarter-span h: w1r[h] w1i[h] w2r[h] w2i[h]
let splitCos: usize = 0; //    f32[half + 1]
let splitSin: usize = 0; //    f32[half + 1]
let melStart: usize = 0; //    i32[nMels]: first FFT bin of each filter
let melCount: usize = 0; //    i32[nMels]: weights of each filter, a multiple of 4 (zero-padded)
let melWeights: usize = 0; //  f32[]: every filter's weights, one after another
let dct: usize = 0; //         f32[nMfcc × melStride], zero in the padding columns

let re: usize = 0; //          f32[half]   the half-size complex FFT, split real/imaginary
let im: usize = 0; //          f32[half]
let power: usize = 0; //       f32[half + 1], then zeros the padded filters may read
let mel: usize = 0; //         f32[melStride], padding held at AMIN
let frame: usize = 0; //       f32[nFft]: an edge frame with its padding

export function allocate(bytes: i32): usize {
  return heap.alloc(<usize>bytes);
}

export function configure(
  fftSize: i32, hopLength: i32, mels: i32, mfccs: i32,
  windowPtr: usize, rev2Ptr: usize, twiddlesPtr: usize, cosPtr: usize, sinPtr: usize,
  startPtr: usize, countPtr: usize, weightsPtr: usize, dctPtr: usize,
  rePtr: usize, imPtr: usize, powerPtr: usize, melPtr: usize, framePtr: usize,
): void {
  nFft = fftSize;
  half = fftSize >> 1;
  hop = hopLength;
  nMels = mels;
  melStride = (mels + 3) & ~3;
  nMfcc = mfccs;
  // log4(half) not whole: one radix-2 pass while loading, then radix-4 passes.
  oddStages = (ctz(half) & 1) == 1;
  window = windowPtr; rev2 = rev2Ptr; twiddles = twiddlesPtr; splitCos = cosPtr; splitSin = sinPtr;
  melStart = startPtr; melCount = countPtr; melWeights = weightsPtr; dct = dctPtr;
  re = rePtr; im = imPtr; power = powerPtr; mel = melPtr; frame = framePtr;
}

/**
 * MFCCs of the n float32 samples at `signal` (center=True framing, zero or reflect padding) into
 * `out` (frames × nMfcc), using `db` (frames × melStride floats) as scratch. Returns the frames.
 */
export function mfcc(signal: usize, n: i32, reflect: bool, db: usize, out: usize): i32 {
  const frames = 1 + n / hop;
  const floor = f32x4.splat(melDbRows(signal, n, reflect, db) - TOP_DB);
  for (let t = 0; t < frames; t++) {
    dctRow(db + (<usize>(t * melStride) << 2), floor, out + (<usize>(t * nMfcc) << 2));
  }
  return frames;
}

/**
 * The log-mel spectrogram the MFCCs are the DCT of: dB rows floored 80 dB below their maximum,
 * written to `out` as frames × nMels (no padding columns), `db` as scratch. Returns the frames.
 */
export function logmel(signal: usize, n: i32, reflect: bool, db: usize, out: usize): i32 {
  const frames = 1 + n / hop;
  const floor = melDbRows(signal, n, reflect, db) - TOP_DB;
  for (let t = 0; t < frames; t++) {
    const row = db + (<usize>(t * melStride) << 2);
    const to = out + (<usize>(t * nMels) << 2);
    for (let m = 0; m < nMels; m++) store<f32>(to + (<usize>m << 2), max(load<f32>(row + (<usize>m << 2)), floor));
  }
  return frames;
}

/** Every frame's dB mel row into `db` (frames × melStride); returns the largest dB value. */
function melDbRows(signal: usize, n: i32, reflect: bool, db: usize): f32 {
  const frames = 1 + n / hop;
  let maxDb = f32x4.splat(-Infinity);
  for (let t = 0; t < frames; t++) {
    const first = t * hop - (nFft >> 1);
    if (first >= 0 && first + nFft <= n) {
      powerSpectrum(signal + (<usize>first << 2));
    } else {
      edgeFrame(signal, n, first, reflect);
      powerSpectrum(frame);
    }
    maxDb = f32x4.max(maxDb, melDb(db + (<usize>(t * melStride) << 2)));
  }
  return horizontalMax(maxDb);
}

/** The frame starting at sample `first` of a frame that reaches past the signal, padded. */
function edgeFrame(signal: usize, n: i32, first: i32, reflect: bool): void {
  for (let i = 0; i < nFft; i++) {
    const j = reflect ? reflectIndex(first + i, n) : first + i;
    const v: f32 = j >= 0 && j < n ? load<f32>(signal + (<usize>j << 2)) : 0;
    store<f32>(frame + (<usize>i << 2), v);
  }
}

/** numpy.pad(mode='reflect') index: mirror about the edges without repeating them. */
function reflectIndex(i: i32, n: i32): i32 {
  if (n == 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/** |X[k]|² of the windowed frame at `src` into power[0…half]. */
function powerSpectrum(src: usize): void {
  loadFirstPass(src);
  let h = oddStages ? 2 : 4;
  let tw = twiddles;
  if (h == 2 && h < half) {
    scalarPass(2, tw);
    tw += 16 * 2;
    h = 8;
  }
  for (; h < half; h <<= 2) {
    vectorPass(h, tw);
    tw += <usize>(16 * h);
  }
  splitPower();
}

/**
 * Windowed samples in bit-reversed order straight into the first butterflies (a 2- or 4-point
 * DFT with unit twiddles), as RealFft.loadFirstPass does.
 */
function loadFirstPass(src: usize): void {
  if (oddStages) {
    for (let a = 0; a < half; a += 2) {
      const p = <usize>load<i32>(rev2 + (<usize>a << 2)) << 2;
      const q = <usize>load<i32>(rev2 + (<usize>(a + 1) << 2)) << 2;
      const ar = load<f32>(src + p) * load<f32>(window + p);
      const ai = load<f32>(src + p + 4) * load<f32>(window + p + 4);
      const br = load<f32>(src + q) * load<f32>(window + q);
      const bi = load<f32>(src + q + 4) * load<f32>(window + q + 4);
      const o = <usize>a << 2;
      store<f32>(re + o, ar + br); store<f32>(im + o, ai + bi);
      store<f32>(re + o + 4, ar - br); store<f32>(im + o + 4, ai - bi);
    }
    return;
  }
  for (let a = 0; a < half; a += 4) {
    const r = rev2 + (<usize>a << 2);
    const p0 = <usize>load<i32>(r) << 2;
    const p1 = <usize>load<i32>(r, 4) << 2;
    const p2 = <usize>load<i32>(r, 8) << 2;
    const p3 = <usize>load<i32>(r, 12) << 2;
    const x0r = load<f32>(src + p0) * load<f32>(window + p0), x0i = load<f32>(src + p0 + 4) * load<f32>(window + p0 + 4);
    const x1r = load<f32>(src + p1) * load<f32>(window + p1), x1i = load<f32>(src + p1 + 4) * load<f32>(window + p1 + 4);
    const x2r = load<f32>(src + p2) * load<f32>(window + p2), x2i = load<f32>(src + p2 + 4) * load<f32>(window + p2 + 4);
    const x3r = load<f32>(src + p3) * load<f32>(window + p3), x3i = load<f32>(src + p3 + 4) * load<f32>(window + p3 + 4);
    const a1r = x0r + x1r, a1i = x0i + x1i;
    const b1r = x0r - x1r, b1i = x0i - x1i;
    const c1r = x2r + x3r, c1i = x2i + x3i;
    const d1r = x2r - x3r, d1i = x2i - x3i;
    const o = <usize>a << 2;
    store<f32>(re + o, a1r + c1r); store<f32>(im + o, a1i + c1i);
    store<f32>(re + o, a1r - c1r, 8); store<f32>(im + o, a1i - c1i, 8);
    store<f32>(re + o, b1r + d1i, 4); store<f32>(im + o, b1i - d1r, 4);
    store<f32>(re + o, b1r - d1i, 12); store<f32>(im + o, b1i + d1r, 12);
  }
}

/**
 * One radix-2² pass (two radix-2 stages) with quarter-span h ≥ 4, four butterflies per step:
 * j, j+1, j+2, j+3 share a block and have consecutive twiddles, so every load is one v128.
 */
function vectorPass(h: i32, tw: usize): void {
  const hb = <usize>h << 2;
  const w1rP = tw, w1iP = tw + hb, w2rP = tw + 2 * hb, w2iP = tw + 3 * hb;
  const span = h << 2;
  for (let block = 0; block < half; block += span) {
    for (let j = 0; j < h; j += 4) {
      const jb = <usize>j << 2;
      const a = (<usize>(block + j) << 2);
      const b = a + hb, c = b + hb, d = c + hb;
      const w1r = v128.load(w1rP + jb), w1i = v128.load(w1iP + jb);
      const w2r = v128.load(w2rP + jb), w2i = v128.load(w2iP + jb);
      const ar = v128.load(re + a), ai = v128.load(im + a);
      const br = v128.load(re + b), bi = v128.load(im + b);
      const cr = v128.load(re + c), ci = v128.load(im + c);
      const dr = v128.load(re + d), di = v128.load(im + d);
      // First stage: (a, b) and (c, d) with w1.
      let tr = f32x4.sub(f32x4.mul(br, w1r), f32x4.mul(bi, w1i));
      let ti = f32x4.add(f32x4.mul(br, w1i), f32x4.mul(bi, w1r));
      const a1r = f32x4.add(ar, tr), a1i = f32x4.add(ai, ti);
      const b1r = f32x4.sub(ar, tr), b1i = f32x4.sub(ai, ti);
      tr = f32x4.sub(f32x4.mul(dr, w1r), f32x4.mul(di, w1i));
      ti = f32x4.add(f32x4.mul(dr, w1i), f32x4.mul(di, w1r));
      const c1r = f32x4.add(cr, tr), c1i = f32x4.add(ci, ti);
      const d1r = f32x4.sub(cr, tr), d1i = f32x4.sub(ci, ti);
      // Second stage: (a, c) with w2 and (b, d) with −i·w2.
      const vr = f32x4.sub(f32x4.mul(c1r, w2r), f32x4.mul(c1i, w2i));
      const vi = f32x4.add(f32x4.mul(c1r, w2i), f32x4.mul(c1i, w2r));
      v128.store(re + a, f32x4.add(a1r, vr)); v128.store(im + a, f32x4.add(a1i, vi));
      v128.store(re + c, f32x4.sub(a1r, vr)); v128.store(im + c, f32x4.sub(a1i, vi));
      const qr = f32x4.add(f32x4.mul(d1r, w2i), f32x4.mul(d1i, w2r));
      const qi = f32x4.sub(f32x4.mul(d1i, w2i), f32x4.mul(d1r, w2r));
      v128.store(re + b, f32x4.add(b1r, qr)); v128.store(im + b, f32x4.add(b1i, qi));
      v128.store(re + d, f32x4.sub(b1r, qr)); v128.store(im + d, f32x4.sub(b1i, qi));
    }
  }
}

/** The same pass one butterfly at a time, for h = 2 (odd log4 sizes), too short for four lanes. */
function scalarPass(h: i32, tw: usize): void {
  const hb = <usize>h << 2;
  const span = h << 2;
  for (let block = 0; block < half; block += span) {
    for (let j = 0; j < h; j++) {
      const jb = <usize>j << 2;
      const w1r = load<f32>(tw + jb), w1i = load<f32>(tw + hb + jb);
      const w2r = load<f32>(tw + 2 * hb + jb), w2i = load<f32>(tw + 3 * hb + jb);
      const a = <usize>(block + j) << 2;
      const b = a + hb, c = b + hb, d = c + hb;
      let tr = load<f32>(re + b) * w1r - load<f32>(im + b) * w1i;
      let ti = load<f32>(re + b) * w1i + load<f32>(im + b) * w1r;
      const a1r = load<f32>(re + a) + tr, a1i = load<f32>(im + a) + ti;
      const b1r = load<f32>(re + a) - tr, b1i = load<f32>(im + a) - ti;
      tr = load<f32>(re + d) * w1r - load<f32>(im + d) * w1i;
      ti = load<f32>(re + d) * w1i + load<f32>(im + d) * w1r;
      const c1r = load<f32>(re + c) + tr, c1i = load<f32>(im + c) + ti;
      const d1r = load<f32>(re + c) - tr, d1i = load<f32>(im + c) - ti;
      const vr = c1r * w2r - c1i * w2i;
      const vi = c1r * w2i + c1i * w2r;
      store<f32>(re + a, a1r + vr); store<f32>(im + a, a1i + vi);
      store<f32>(re + c, a1r - vr); store<f32>(im + c, a1i - vi);
      const qr = d1r * w2i + d1i * w2r;
      const qi = d1i * w2i - d1r * w2r;
      store<f32>(re + b, b1r + qr); store<f32>(im + b, b1i + qi);
      store<f32>(re + d, b1r - qr); store<f32>(im + d, b1i - qi);
    }
  }
}

/**
 * Splits the half-size spectrum into real-input bins k and half−k, as RealFft.splitPower, four k
 * at a time: bins half−k−3…half−k are loaded and stored lane-reversed. Needs half ≥ 8.
 */
function splitPower(): void {
  const r0 = load<f32>(re), i0 = load<f32>(im);
  store<f32>(power, (r0 + i0) * (r0 + i0));
  store<f32>(power + (<usize>half << 2), (r0 - i0) * (r0 - i0));
  const quarter = half >> 1;
  const halfV = f32x4.splat(0.5);
  // The last group ends at k = quarter = half − k, which both stores write with equal values.
  for (let k = 1; k <= quarter; k += 4) {
    const kb = <usize>k << 2;
    const bb = <usize>(half - k - 3) << 2;
    const zr = v128.load(re + kb), zi = v128.load(im + kb);
    const wr = reversed(v128.load(re + bb)), wi = reversed(v128.load(im + bb));
    const er = f32x4.mul(halfV, f32x4.add(zr, wr));
    const ei = f32x4.mul(halfV, f32x4.sub(zi, wi));
    const or = f32x4.mul(halfV, f32x4.add(zi, wi));
    const oi = f32x4.mul(halfV, f32x4.sub(wr, zr));
    const ck = v128.load(splitCos + kb), sk = v128.load(splitSin + kb);
    // Bin k: E + W^k·O. Bin half−k: conj(E) + W^(half−k)·conj(O), and W^(half−k) = −conj(W^k).
    const orc = f32x4.mul(or, ck), ois = f32x4.mul(oi, sk), oic = f32x4.mul(oi, ck), ors = f32x4.mul(or, sk);
    const xr = f32x4.add(er, f32x4.add(orc, ois));
    const xi = f32x4.add(ei, f32x4.sub(oic, ors));
    v128.store(power + kb, f32x4.add(f32x4.mul(xr, xr), f32x4.mul(xi, xi)));
    const yr = f32x4.sub(er, f32x4.add(orc, ois));
    const yi = f32x4.sub(f32x4.sub(oic, ors), ei);
    v128.store(power + bb, reversed(f32x4.add(f32x4.mul(yr, yr), f32x4.mul(yi, yi))));
  }
}

// @ts-ignore: decorator
@inline function reversed(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 3, 2, 1, 0);
}

/** Mel energies of power[] in dB (power_to_db before top_db) into `row`; returns the lane maxima. */
function melDb(row: usize): v128 {
  let weights = melWeights;
  for (let m = 0; m < nMels; m++) {
    const start = power + (<usize>load<i32>(melStart + (<usize>m << 2)) << 2);
    const count = load<i32>(melCount + (<usize>m << 2));
    store<f32>(mel + (<usize>m << 2), dot(weights, start, count));
    weights += <usize>count << 2;
  }
  let maxDb = f32x4.splat(-Infinity);
  const amin = f32x4.splat(AMIN);
  for (let m = 0; m < melStride; m += 4) {
    const o = <usize>m << 2;
    const v = decibels(f32x4.max(v128.load(mel + o), amin));
    v128.store(row + o, v);
    maxDb = f32x4.max(maxDb, v);
  }
  return maxDb;
}

/** Raises a dB row to the floor and writes its nMfcc DCT coefficients to `out`. */
function dctRow(row: usize, floor: v128, out: usize): void {
  for (let m = 0; m < melStride; m += 4) {
    const o = <usize>m << 2;
    v128.store(row + o, f32x4.max(v128.load(row + o), floor));
  }
  let basis = dct;
  for (let k = 0; k < nMfcc; k++) {
    store<f32>(out + (<usize>k << 2), dot(basis, row, melStride));
    basis += <usize>melStride << 2;
  }
}

/** Σ a[i]·b[i] over `count` floats, a multiple of 4 (tables are zero-padded to one). */
// @ts-ignore: decorator
@inline function dot(a: usize, b: usize, count: i32): f32 {
  let acc = f32x4.splat(0);
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  return horizontalSum(acc);
}

/**
 * 10·log10(x) of four positive normal floats. x = 2^e·m with m in [√½, √2), and
 * ln m = 2·atanh(t) with t = (m−1)/(m+1), |t| ≤ 0.172, summed to t⁹: error below float32's own.
 */
function decibels(x: v128): v128 {
  const bits = x;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127));
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(1.4142135));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = i32x4.sub(e, big); // big lanes are all ones (−1): e + 1
  const one = f32x4.splat(1);
  const t = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const t2 = f32x4.mul(t, t);
  let p = f32x4.add(f32x4.splat(1.0 / 7.0), f32x4.mul(t2, f32x4.splat(1.0 / 9.0)));
  p = f32x4.add(f32x4.splat(1.0 / 5.0), f32x4.mul(t2, p));
  p = f32x4.add(f32x4.splat(1.0 / 3.0), f32x4.mul(t2, p));
  p = f32x4.add(one, f32x4.mul(t2, p));
  const lnM = f32x4.mul(f32x4.add(t, t), p);
  const ln = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(e), f32x4.splat(0.6931471805599453)), lnM);
  return f32x4.mul(ln, f32x4.splat(<f32>(10 / Math.LN10)));
}

// @ts-ignore: decorator
@inline function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function horizontalMax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}
