// AssemblyScript, not TypeScript: compiled to WebAssembly by `npm run build:wasm` twice, with SIMD
// and with relaxed SIMD (its fused multiply-add), into cnn-kernel.wasm.ts. The convolutional
// networks' training loops, four float32 lanes at a time, on buffers this module owns: the
// convolution (stride 1, any kernel, 'same' padding done by the caller's padded copy) forward,
// its input gradient (the same loop on the flipped filter) and its filter gradient, as matrix
// products held in registers; batch normalisation's statistics; normalisation, ReLU and
// max-pooling fused into one pass forward and one back. The JS side (cnn-kernel.ts) allocates
// every buffer once and reuses it.
//
// Layouts (row-major, float32, channels last as tfjs's NHWC):
//   P   [B, H + kh − 1, W + kw − 1, Cin]  the layer's input, zero-padded by pad()
//   F   [kh, kw, Cin, Cout]               the filter, as tfjs keeps it
//   Y   [B, H, W, Cout]                   the convolution's output
// Cout and every channel count here are multiples of 4.

export function allocate(bytes: i32): usize {
  return heap.alloc(<usize>bytes);
}

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function ld(base: usize, index: i32): v128 {
  return v128.load(base + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline function st(base: usize, index: i32, v: v128): void {
  v128.store(base + (<usize>index << 2), v);
}

// @ts-ignore: decorator
@inline function splat(base: usize, index: i32): v128 {
  return v128.load32_splat(base + (<usize>index << 2));
}

/** Whether this build fuses multiply and add (relaxed SIMD): the JS side reports which one runs. */
export function fused(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/** dst [B, H + kh − 1, W + kw − 1, C] ← src [B, H, W, C] with `top` rows and `left` columns of zeros before. */
export function pad(src: usize, B: i32, H: i32, W: i32, C: i32, kh: i32, kw: i32, top: i32, left: i32, dst: usize): void {
  const Hp = H + kh - 1;
  const Wp = W + kw - 1;
  memory.fill(dst, 0, <usize>(B * Hp * Wp * C) << 2);
  const row = <usize>(W * C) << 2;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < H; y++) {
      memory.copy(dst + (<usize>(((b * Hp + y + top) * Wp + left) * C) << 2), src + (<usize>((b * H + y) * W * C) << 2), row);
    }
  }
}

/**
 * Y[b, y, x, o] = Σ_{i, j, c} P[b, y + i, x + j, c] · F[i, j, c, o]. Positions go in chunks of
 * 64 (in cache meanwhile); for each block of 8 output channels, four positions at a time, wherever
 * they sit (across row ends too, so narrow maps fill the tile), hold 8 sums in registers while
 * the taps (kh rows of kw·Cin contiguous values) stream past. Leftover positions go one at a time,
 * a last block of 4 channels (Cout not a multiple of 8) on its own.
 */
export function conv(P: usize, F: usize, B: i32, H: i32, W: i32, Cin: i32, Cout: i32, kh: i32, kw: i32, Y: usize): void {
  const Hp = H + kh - 1;
  const Wp = W + kw - 1;
  const taps = kw * Cin;
  const N = B * H * W;
  const starts = STARTS;
  for (let n0 = 0; n0 < N; n0 += 64) {
    const n1 = min<i32>(N, n0 + 64);
    // Each position's padded input, walked once per chunk: no division in the loops below.
    let x = n0 % W;
    let y = (n0 / W) % H;
    let b = n0 / (W * H);
    for (let n = n0; n < n1; n++) {
      store<usize>(starts + (<usize>(n - n0) << 2), P + (<usize>(((b * Hp + y) * Wp + x) * Cin) << 2));
      if (++x == W) {
        x = 0;
        if (++y == H) {
          y = 0;
          b++;
        }
      }
    }
    let o = 0;
    for (; o + 8 <= Cout; o += 8) {
      let n = n0;
      for (; n + 4 <= n1; n += 4) {
        const at = starts + (<usize>(n - n0) << 2);
        const p0 = load<usize>(at);
        conv4x8(p0, load<usize>(at, 4) - p0, load<usize>(at, 8) - p0, load<usize>(at, 12) - p0,
          F + (<usize>o << 2), Y + (<usize>(n * Cout + o) << 2), kh, taps, Wp, Cin, Cout);
      }
      for (; n < n1; n++) conv1x8(load<usize>(starts + (<usize>(n - n0) << 2)), F + (<usize>o << 2), Y + (<usize>(n * Cout + o) << 2), kh, taps, Wp, Cin, Cout);
    }
    if (o < Cout) for (let n = n0; n < n1; n++) conv1x4(load<usize>(starts + (<usize>(n - n0) << 2)), F + (<usize>o << 2), Y + (<usize>(n * Cout + o) << 2), kh, taps, Wp, Cin, Cout);
  }
}

/** The padded input's address for each position of a chunk. */
const STARTS: usize = memory.data(256, 16);

/**
 * Four positions × 8 channels: p the first position's padded input and d1, d2, d3 the others'
 * distances from it, f the filter at the block's channel, y the first position's output (the
 * others follow it, Cout apart).
 */
// @ts-ignore: decorator
@inline function conv4x8(p: usize, d1: usize, d2: usize, d3: usize, f: usize, y: usize, kh: i32, taps: i32, Wp: i32, Cin: i32, Cout: i32): void {
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a10 = f32x4.splat(0), a11 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a30 = f32x4.splat(0), a31 = f32x4.splat(0);
  const stepF = <usize>Cout << 2;
  for (let i = 0; i < kh; i++) {
    let q = p + (<usize>(i * Wp * Cin) << 2);
    let g = f + (<usize>(i * taps * Cout) << 2);
    const end = q + (<usize>taps << 2);
    for (; q < end; q += 4, g += stepF) {
      const w0 = v128.load(g);
      const w1 = v128.load(g, 16);
      const s0 = v128.load32_splat(q);
      const s1 = v128.load32_splat(q + d1);
      const s2 = v128.load32_splat(q + d2);
      const s3 = v128.load32_splat(q + d3);
      a00 = madd(s0, w0, a00); a01 = madd(s0, w1, a01);
      a10 = madd(s1, w0, a10); a11 = madd(s1, w1, a11);
      a20 = madd(s2, w0, a20); a21 = madd(s2, w1, a21);
      a30 = madd(s3, w0, a30); a31 = madd(s3, w1, a31);
    }
  }
  const r = <usize>Cout << 2;
  v128.store(y, a00); v128.store(y, a01, 16);
  v128.store(y + r, a10); v128.store(y + r, a11, 16);
  v128.store(y + 2 * r, a20); v128.store(y + 2 * r, a21, 16);
  v128.store(y + 3 * r, a30); v128.store(y + 3 * r, a31, 16);
}

/** One position × 8 channels. */
// @ts-ignore: decorator
@inline function conv1x8(p: usize, f: usize, y: usize, kh: i32, taps: i32, Wp: i32, Cin: i32, Cout: i32): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  for (let i = 0; i < kh; i++) {
    let q = p + (<usize>(i * Wp * Cin) << 2);
    let g = f + (<usize>(i * taps * Cout) << 2);
    const end = q + (<usize>taps << 2);
    for (; q < end; q += 4, g += <usize>Cout << 2) {
      const s = v128.load32_splat(q);
      a0 = madd(s, v128.load(g), a0);
      a1 = madd(s, v128.load(g, 16), a1);
    }
  }
  v128.store(y, a0);
  v128.store(y, a1, 16);
}

/** One position × 4 channels. */
// @ts-ignore: decorator
@inline function conv1x4(p: usize, f: usize, y: usize, kh: i32, taps: i32, Wp: i32, Cin: i32, Cout: i32): void {
  let a0 = f32x4.splat(0);
  for (let i = 0; i < kh; i++) {
    let q = p + (<usize>(i * Wp * Cin) << 2);
    let g = f + (<usize>(i * taps * Cout) << 2);
    const end = q + (<usize>taps << 2);
    for (; q < end; q += 4, g += <usize>Cout << 2) a0 = madd(v128.load32_splat(q), v128.load(g), a0);
  }
  v128.store(y, a0);
}

/** Ff [kh, kw, Cout, Cin] ← F [kh, kw, Cin, Cout] turned half a circle: the input gradient is conv() of dY with it. */
export function flip(F: usize, kh: i32, kw: i32, Cin: i32, Cout: i32, Ff: usize): void {
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = (i * kw + j) * Cin * Cout;
      const to = ((kh - 1 - i) * kw + (kw - 1 - j)) * Cout * Cin;
      for (let c = 0; c < Cin; c++) {
        for (let o = 0; o < Cout; o++) store<f32>(Ff + (<usize>(to + o * Cin + c) << 2), load<f32>(F + (<usize>(from + c * Cout + o) << 2)));
      }
    }
  }
}

/** Sixteen-byte aligned room for two vectors' lanes. */
const SCRATCH: usize = memory.data(32, 16);

/** Positions summed between stores of the filter gradient's registers: their rows stay in cache. */
const CHUNK: i32 = 256;

/**
 * dF[i, j, c, o] = Σ_{b, y, x} P[b, y + i, x + j, c] · dY[b, y, x, o], dF zeroed first. Two taps
 * × 16 output channels in registers (a block of 4 where Cout is not a multiple of 16); positions
 * go by in chunks of rows so the chunk's dY and P stay in cache while every tap and channel
 * block passes over them.
 */
export function filterGradient(P: usize, dY: usize, B: i32, H: i32, W: i32, Cin: i32, Cout: i32, kh: i32, kw: i32, dF: usize): void {
  const Hp = H + kh - 1;
  const Wp = W + kw - 1;
  const taps = kh * kw * Cin;
  memory.fill(dF, 0, <usize>(taps * Cout) << 2);
  const rowsPerChunk = max<i32>(1, CHUNK / W);
  for (let b = 0; b < B; b++) {
    for (let y0 = 0; y0 < H; y0 += rowsPerChunk) {
      const y1 = min<i32>(H, y0 + rowsPerChunk);
      for (let t = 0; t < taps; t += 2) {
        // Tap t is (i, j, c): its offset in P from a position's padded origin. An odd last tap
        // pairs with itself and its second sum is thrown away.
        const t1 = t + 1 < taps ? t + 1 : t;
        const off0 = tapOffset(t, kw, Cin, Wp);
        const off1 = tapOffset(t1, kw, Cin, Wp);
        let o = 0;
        for (; o + 16 <= Cout; o += 16) taps2x16(P, dY, b, y0, y1, H, W, Hp, Wp, Cin, Cout, off0, off1, o, dF + (<usize>(t * Cout + o) << 2), dF + (<usize>(t1 * Cout + o) << 2), t1 != t);
        for (; o < Cout; o += 4) taps2x4(P, dY, b, y0, y1, H, W, Hp, Wp, Cin, Cout, off0, off1, o, dF + (<usize>(t * Cout + o) << 2), dF + (<usize>(t1 * Cout + o) << 2), t1 != t);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function tapOffset(t: i32, kw: i32, Cin: i32, Wp: i32): i32 {
  return ((t / (kw * Cin)) * Wp + (t / Cin) % kw) * Cin + t % Cin;
}

/** dF rows f0, f1 (16 channels each) += Σ over rows y0..y1 of image b of the two taps' inputs times dY. */
// @ts-ignore: decorator
@inline function taps2x16(P: usize, dY: usize, b: i32, y0: i32, y1: i32, H: i32, W: i32, Hp: i32, Wp: i32, Cin: i32, Cout: i32,
  off0: i32, off1: i32, o: i32, f0: usize, f1: usize, second: bool): void {
  let a0 = v128.load(f0), a1 = v128.load(f0, 16), a2 = v128.load(f0, 32), a3 = v128.load(f0, 48);
  let b0 = v128.load(f1), b1 = v128.load(f1, 16), b2 = v128.load(f1, 32), b3 = v128.load(f1, 48);
  for (let y = y0; y < y1; y++) {
    let p = P + (<usize>(((b * Hp + y) * Wp) * Cin) << 2);
    let d = dY + (<usize>(((b * H + y) * W) * Cout + o) << 2);
    const end = d + (<usize>(W * Cout) << 2);
    const p0 = <usize>off0 << 2;
    const p1 = <usize>off1 << 2;
    const stepP = <usize>Cin << 2;
    const stepD = <usize>Cout << 2;
    for (; d < end; p += stepP, d += stepD) {
      const s = v128.load32_splat(p + p0);
      const r = v128.load32_splat(p + p1);
      const g0 = v128.load(d), g1 = v128.load(d, 16), g2 = v128.load(d, 32), g3 = v128.load(d, 48);
      a0 = madd(s, g0, a0); a1 = madd(s, g1, a1); a2 = madd(s, g2, a2); a3 = madd(s, g3, a3);
      b0 = madd(r, g0, b0); b1 = madd(r, g1, b1); b2 = madd(r, g2, b2); b3 = madd(r, g3, b3);
    }
  }
  v128.store(f0, a0); v128.store(f0, a1, 16); v128.store(f0, a2, 32); v128.store(f0, a3, 48);
  if (second) { v128.store(f1, b0); v128.store(f1, b1, 16); v128.store(f1, b2, 32); v128.store(f1, b3, 48); }
}

/** taps2x16 for a block of 4 channels. */
// @ts-ignore: decorator
@inline function taps2x4(P: usize, dY: usize, b: i32, y0: i32, y1: i32, H: i32, W: i32, Hp: i32, Wp: i32, Cin: i32, Cout: i32,
  off0: i32, off1: i32, o: i32, f0: usize, f1: usize, second: bool): void {
  let a0 = v128.load(f0);
  let b0 = v128.load(f1);
  for (let y = y0; y < y1; y++) {
    let p = P + (<usize>(((b * Hp + y) * Wp) * Cin) << 2);
    let d = dY + (<usize>(((b * H + y) * W) * Cout + o) << 2);
    const end = d + (<usize>(W * Cout) << 2);
    for (; d < end; p += <usize>Cin << 2, d += <usize>Cout << 2) {
      const g0 = v128.load(d);
      a0 = madd(v128.load32_splat(p + (<usize>off0 << 2)), g0, a0);
      b0 = madd(v128.load32_splat(p + (<usize>off1 << 2)), g0, b0);
    }
  }
  v128.store(f0, a0);
  if (second) v128.store(f1, b0);
}

/**
 * Per channel, Σ y and Σ y² over N positions of Y [N, C], into sums (float64 [2C]): each row of
 * 64 positions is summed in float32 lanes, the rows in float64, so a million positions lose
 * nothing that matters to the variance.
 */
export function stats(Y: usize, N: i32, C: i32, sums: usize): void {
  memory.fill(sums, 0, <usize>(2 * C) << 3);
  for (let c = 0; c < C; c += 4) {
    for (let n0 = 0; n0 < N; n0 += 64) {
      const n1 = min<i32>(N, n0 + 64);
      let s = f32x4.splat(0);
      let q = f32x4.splat(0);
      for (let n = n0; n < n1; n++) {
        const v = ld(Y, n * C + c);
        s = f32x4.add(s, v);
        q = madd(v, v, q);
      }
      v128.store(SCRATCH, s);
      v128.store(SCRATCH + 16, q);
      for (let k = 0; k < 4; k++) {
        const a = sums + (<usize>(c + k) << 3);
        const b = sums + (<usize>(C + c + k) << 3);
        store<f64>(a, load<f64>(a) + <f64>load<f32>(SCRATCH + (<usize>k << 2)));
        store<f64>(b, load<f64>(b) + <f64>load<f32>(SCRATCH + 16 + (<usize>k << 2)));
      }
    }
  }
}

/**
 * Normalisation, ReLU and max-pooling in one pass: z = max(0, y · scale + shift) per channel,
 * pooled over ph × pw windows (stride the window, the remainder dropped as 'valid' pooling does)
 * into out [B, H / ph, W / pw, C]; arg [same size, bytes] takes the window index of each maximum
 * (the first of equal ones) for the way back. scale = γ / √(σ² + ε), shift = β − μ · scale.
 */
export function normalizeReluPool(Y: usize, B: i32, H: i32, W: i32, C: i32, scale: usize, shift: usize, ph: i32, pw: i32, out: usize, arg: usize): void {
  const Ho = H / ph;
  const Wo = W / pw;
  for (let b = 0; b < B; b++) {
    for (let yo = 0; yo < Ho; yo++) {
      for (let xo = 0; xo < Wo; xo++) {
        const o = ((b * Ho + yo) * Wo + xo) * C;
        for (let c = 0; c < C; c += 4) {
          const sc = ld(scale, c);
          const sh = ld(shift, c);
          let best = f32x4.splat(-Infinity);
          let where = i32x4.splat(0);
          for (let i = 0; i < ph; i++) {
            for (let j = 0; j < pw; j++) {
              const v = f32x4.max(madd(ld(Y, ((b * H + yo * ph + i) * W + xo * pw + j) * C + c), sc, sh), f32x4.splat(0));
              const more = f32x4.gt(v, best);
              best = v128.bitselect(v, best, more);
              where = v128.bitselect(i32x4.splat(i * pw + j), where, more);
            }
          }
          st(out, o + c, best);
          // 255: the window's maximum is 0, so ReLU passes no gradient back to it.
          where = v128.bitselect(where, i32x4.splat(255), f32x4.gt(best, f32x4.splat(0)));
          const a = arg + <usize>(o + c);
          store<u8>(a, <u8>i32x4.extract_lane(where, 0));
          store<u8>(a + 1, <u8>i32x4.extract_lane(where, 1));
          store<u8>(a + 2, <u8>i32x4.extract_lane(where, 2));
          store<u8>(a + 3, <u8>i32x4.extract_lane(where, 3));
        }
      }
    }
  }
}

/**
 * The way back through pooling and ReLU: dZ [B, H, W, C] takes each pooled gradient at its
 * window's maximum and 0 elsewhere in the window, none where the maximum was 0 (arg 255); rows
 * and columns left out of every window are zeroed. sums (float64 [2C]) take, per channel, Σ dZ
 * and Σ dZ · ŷ with ŷ = (y − μ) · invStd, what batch normalisation's gradient needs: each row of
 * windows summed in float32 lanes, the rows in float64.
 */
export function poolReluBack(dOut: usize, arg: usize, Y: usize, B: i32, H: i32, W: i32, C: i32,
  mean: usize, invStd: usize, ph: i32, pw: i32, dZ: usize, sums: usize): void {
  const Ho = H / ph;
  const Wo = W / pw;
  if (Ho * ph != H || Wo * pw != W) memory.fill(dZ, 0, <usize>(B * H * W * C) << 2);
  memory.fill(sums, 0, <usize>(2 * C) << 3);
  const row = ROW_SUMS;
  for (let b = 0; b < B; b++) {
    for (let yo = 0; yo < Ho; yo++) {
      memory.fill(row, 0, <usize>(2 * C) << 2);
      for (let xo = 0; xo < Wo; xo++) {
        const o = ((b * Ho + yo) * Wo + xo) * C;
        for (let c = 0; c < C; c += 4) {
          const g = ld(dOut, o + c);
          const k = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(arg + <usize>(o + c))));
          const mu = ld(mean, c);
          const is = ld(invStd, c);
          let s1 = f32x4.splat(0);
          let s2 = f32x4.splat(0);
          for (let i = 0; i < ph; i++) {
            for (let j = 0; j < pw; j++) {
              const at = ((b * H + yo * ph + i) * W + xo * pw + j) * C + c;
              const hit = i32x4.eq(k, i32x4.splat(i * pw + j));
              const d = v128.and(g, hit);
              st(dZ, at, d);
              s1 = f32x4.add(s1, d);
              s2 = madd(d, f32x4.mul(f32x4.sub(ld(Y, at), mu), is), s2);
            }
          }
          st(row, c, f32x4.add(ld(row, c), s1));
          st(row, C + c, f32x4.add(ld(row, C + c), s2));
        }
      }
      for (let c = 0; c < 2 * C; c++) {
        const to = sums + (<usize>c << 3);
        store<f64>(to, load<f64>(to) + <f64>load<f32>(row + (<usize>c << 2)));
      }
    }
  }
}

/** A row's sums for poolReluBack: room for 2 × 4 096 channels. */
const ROW_SUMS: usize = memory.data(32768, 16);

/**
 * Batch normalisation's input gradient over N positions, in place: dZ ← γ · invStd ·
 * (dZ − Σ dZ / N − ŷ · Σ (dZ · ŷ) / N), from the statistics of the whole batch (a ← γ · invStd,
 * m1 ← Σ dZ / N, m2 ← Σ (dZ · ŷ) / N, all per channel, given by the caller).
 */
export function normalizeBack(Y: usize, dZ: usize, N: i32, C: i32, mean: usize, invStd: usize, a: usize, m1: usize, m2: usize): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c += 4) {
      const q = n * C + c;
      const yh = f32x4.mul(f32x4.sub(ld(Y, q), ld(mean, c)), ld(invStd, c));
      const g = f32x4.sub(f32x4.sub(ld(dZ, q), ld(m1, c)), f32x4.mul(yh, ld(m2, c)));
      st(dZ, q, f32x4.mul(ld(a, c), g));
    }
  }
}
