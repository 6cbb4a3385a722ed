// AssemblyScript, not TypeScript: compiled to WebAssembly (SIMD) by `npm run build:wasm`, which
// writes lstm-kernel.wasm.ts. One LSTM layer, forward and backward over the whole sequence in
// one call each, in float32 four lanes at a time, on buffers this module owns. The readable
// version of the same arithmetic is step-math.ts (gates i, f, c, o; sigmoid and tanh, as
// tf.layers.lstm). The JS side (simd-lstm.ts) allocates every buffer once with allocate() and
// reuses it, so nothing is allocated inside the step loops.
//
// Layouts (row-major, float32):
//   x   [B, T, I]  the layer's input, as tfjs gives it; xt [T, B, I] its time-major copy, made
//                  by forward, so every sum over steps and examples walks rows in one order
//   W   [I, 4H]    kernel;  U [H, 4H] recurrent kernel;  b [4H] bias
//   z   [T, B, 4H] time-major: forward writes the gates' activations i, f, g, o there; backward
//                  overwrites step t's with dz_t once it has used them
//   hs  [T+1, B, H], cs [T+1, B, H]  the states, index 0 the zero state
// H must be a multiple of 4 (the JS side falls back to the tfjs path otherwise).

export function allocate(bytes: i32): usize {
  return heap.alloc(<usize>bytes);
}

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** row[0..n) += s · src[0..n), n a multiple of 4. */
// @ts-ignore: decorator
@inline function axpy(row: usize, s: v128, src: usize, n: i32): void {
  for (let j = 0; j < n; j += 4) {
    const o = <usize>j << 2;
    v128.store(row + o, f32x4.add(v128.load(row + o), f32x4.mul(s, v128.load(src + o))));
  }
}

/** Σ a[i]·b[i] over n floats, n a multiple of 4. */
// @ts-ignore: decorator
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  for (let j = 0; j < n; j += 4) {
    const o = <usize>j << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

/**
 * e^x for four floats: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to r⁷ (relative
 * error below 2e-7, float32's own), 2^n put into the exponent bits. Inputs clamped to ±87.
 */
function expV(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87)), f32x4.splat(87));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  // ln 2 in two parts, so n·ln2 is exact enough for |n| up to 126.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.0 / 5040);
  p = f32x4.add(f32x4.splat(1.0 / 720), f32x4.mul(p, r));
  p = f32x4.add(f32x4.splat(1.0 / 120), f32x4.mul(p, r));
  p = f32x4.add(f32x4.splat(1.0 / 24), f32x4.mul(p, r));
  p = f32x4.add(f32x4.splat(1.0 / 6), f32x4.mul(p, r));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(p, r));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(p, r));
  p = f32x4.add(f32x4.splat(1), f32x4.mul(p, r));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

/** tanh x = 1 − 2 / (e^{2x} + 1): exact at the extremes, absolute error ~1e-7 near 0. */
// @ts-ignore: decorator
@inline function tanhV(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(expV(f32x4.add(x, x)), one)));
}

/**
 * Forward over all T steps. Writes z (activations), hs, cs (index 0 zeroed here), and the
 * layer's output: out [B, T, H] when sequences, else the last h [B, H].
 */
export function forward(
  B: i32, T: i32, I: i32, H: i32, x: usize, xt: usize, W: usize, U: usize, b: usize,
  z: usize, hs: usize, cs: usize, out: usize, sequences: bool,
): void {
  const G = 4 * H;
  // x time-major, then z = x·W + b for every step and example in one product.
  for (let bi = 0; bi < B; bi++) {
    for (let t = 0; t < T; t++) memory.copy(at(xt, (t * B + bi) * I), at(x, (bi * T + t) * I), <usize>I << 2);
  }
  for (let r = 0; r < T * B; r++) memory.copy(at(z, r * G), b, <usize>G << 2);
  gemm(T * B, I, G, xt, I, 1, W, z, G, true);
  memory.fill(hs, 0, <usize>(B * H) << 2);
  memory.fill(cs, 0, <usize>(B * H) << 2);
  for (let t = 0; t < T; t++) {
    const zt = at(z, t * B * G);
    const hPrev = at(hs, t * B * H);
    const cPrev = at(cs, t * B * H);
    const hNext = at(hs, (t + 1) * B * H);
    const cNext = at(cs, (t + 1) * B * H);
    if (t > 0) gemm(B, H, G, hPrev, H, 1, U, zt, G, true);
    for (let bi = 0; bi < B; bi++) {
      const zr = at(zt, bi * G);
      for (let j = 0; j < H; j += 4) {
        const i = sigmoidV(v128.load(at(zr, j)));
        const f = sigmoidV(v128.load(at(zr, H + j)));
        const g = tanhV(v128.load(at(zr, 2 * H + j)));
        const o = sigmoidV(v128.load(at(zr, 3 * H + j)));
        const c = f32x4.add(f32x4.mul(f, v128.load(at(cPrev, bi * H + j))), f32x4.mul(i, g));
        v128.store(at(zr, j), i);
        v128.store(at(zr, H + j), f);
        v128.store(at(zr, 2 * H + j), g);
        v128.store(at(zr, 3 * H + j), o);
        v128.store(at(cNext, bi * H + j), c);
        v128.store(at(hNext, bi * H + j), f32x4.mul(o, tanhV(c)));
      }
    }
  }
  if (sequences) {
    for (let bi = 0; bi < B; bi++) {
      for (let t = 0; t < T; t++) memory.copy(at(out, (bi * T + t) * H), at(hs, ((t + 1) * B + bi) * H), <usize>H << 2);
    }
  } else {
    memory.copy(out, at(hs, T * B * H), <usize>(B * H) << 2);
  }
}

/**
 * out[i, :N] (+)= Σ_k A(i, k)·M[k, :N] for i < rows, k < K: every matrix product here, blocked as
 * 2 rows × 16 columns held in registers while k runs, so each load of M serves two rows and out
 * is read and written once. A(i, k) is the float at a + i·ars + k·acs (in floats), which reads
 * A or its transpose alike; M's rows are N apart, out's `os` apart. N is a multiple of 4.
 */
function gemm(rows: i32, K: i32, N: i32, a: usize, ars: i32, acs: i32, M: usize, out: usize, os: i32, accumulate: bool): void {
  // The sums over every step and example (K = T·B) run through z in blocks of KB rows, each
  // block used by every output row while it is in cache: z is megabytes, beyond a core's L2.
  for (let k0 = 0; k0 < K; k0 += KB) {
    gemmBlock(rows, min(KB, K - k0), N, at(a, k0 * acs), ars, acs, at(M, k0 * N), out, os, accumulate || k0 > 0);
  }
}

const KB = 128;

function gemmBlock(rows: i32, K: i32, N: i32, a: usize, ars: i32, acs: i32, M: usize, out: usize, os: i32, accumulate: bool): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i += 2) {
    const two = i + 1 < rows;
    const a0 = at(a, i * ars);
    const a1 = two ? at(a, (i + 1) * ars) : a0;
    const o0 = at(out, i * os);
    const o1 = two ? at(out, (i + 1) * os) : o0;
    let c = 0;
    for (; c + 16 <= N; c += 16) {
      let p0 = accumulate ? v128.load(at(o0, c)) : zero;
      let p1 = accumulate ? v128.load(at(o0, c + 4)) : zero;
      let p2 = accumulate ? v128.load(at(o0, c + 8)) : zero;
      let p3 = accumulate ? v128.load(at(o0, c + 12)) : zero;
      let q0 = accumulate ? v128.load(at(o1, c)) : zero;
      let q1 = accumulate ? v128.load(at(o1, c + 4)) : zero;
      let q2 = accumulate ? v128.load(at(o1, c + 8)) : zero;
      let q3 = accumulate ? v128.load(at(o1, c + 12)) : zero;
      for (let k = 0; k < K; k++) {
        const s0 = v128.load32_splat(at(a0, k * acs));
        const s1 = v128.load32_splat(at(a1, k * acs));
        const m = at(M, k * N + c);
        const m0 = v128.load(m);
        const m1 = v128.load(m, 16);
        const m2 = v128.load(m, 32);
        const m3 = v128.load(m, 48);
        p0 = f32x4.add(p0, f32x4.mul(s0, m0));
        p1 = f32x4.add(p1, f32x4.mul(s0, m1));
        p2 = f32x4.add(p2, f32x4.mul(s0, m2));
        p3 = f32x4.add(p3, f32x4.mul(s0, m3));
        q0 = f32x4.add(q0, f32x4.mul(s1, m0));
        q1 = f32x4.add(q1, f32x4.mul(s1, m1));
        q2 = f32x4.add(q2, f32x4.mul(s1, m2));
        q3 = f32x4.add(q3, f32x4.mul(s1, m3));
      }
      // The second row first: with an odd row count it is the first row again, and the first's store wins.
      if (two) {
        v128.store(at(o1, c), q0);
        v128.store(at(o1, c + 4), q1);
        v128.store(at(o1, c + 8), q2);
        v128.store(at(o1, c + 12), q3);
      }
      v128.store(at(o0, c), p0);
      v128.store(at(o0, c + 4), p1);
      v128.store(at(o0, c + 8), p2);
      v128.store(at(o0, c + 12), p3);
    }
    for (; c < N; c += 4) {
      let p = accumulate ? v128.load(at(o0, c)) : zero;
      let q = accumulate ? v128.load(at(o1, c)) : zero;
      for (let k = 0; k < K; k++) {
        const m = v128.load(at(M, k * N + c));
        p = f32x4.add(p, f32x4.mul(v128.load32_splat(at(a0, k * acs)), m));
        q = f32x4.add(q, f32x4.mul(v128.load32_splat(at(a1, k * acs)), m));
      }
      if (two) v128.store(at(o1, c), q);
      v128.store(at(o0, c), p);
    }
  }
}

/**
 * Backward over all T steps, from the gradient of the layer's output dy ([B, T, H] when
 * sequences, else [B, H] for the last step). Needs forward's z, hs, cs and this call's scratch:
 * xt, and this call's scratch uT [4H, H], wT [4H, I], dh [B, H], dc [B, H]. Writes dW [I, 4H], dU [H, 4H],
 * db [4H], and dx [B, T, I] unless dx is 0 (a first layer's input is data).
 */
export function backward(
  B: i32, T: i32, I: i32, H: i32, xt: usize, W: usize, U: usize,
  z: usize, hs: usize, cs: usize, dy: usize, sequences: bool,
  uT: usize, wT: usize, dh: usize, dc: usize, dx: usize, dW: usize, dU: usize, db: usize,
): void {
  const G = 4 * H;
  for (let k = 0; k < H; k++) for (let j = 0; j < G; j++) store<f32>(at(uT, j * H + k), load<f32>(at(U, k * G + j)));
  memory.fill(dh, 0, <usize>(B * H) << 2);
  memory.fill(dc, 0, <usize>(B * H) << 2);
  const one = f32x4.splat(1);
  for (let t = T - 1; t >= 0; t--) {
    const zt = at(z, t * B * G);
    const cPrev = at(cs, t * B * H);
    const cNow = at(cs, (t + 1) * B * H);
    for (let bi = 0; bi < B; bi++) {
      const zr = at(zt, bi * G);
      const dyRow = sequences ? at(dy, (bi * T + t) * H) : t === T - 1 ? at(dy, bi * H) : 0;
      for (let j = 0; j < H; j += 4) {
        const s = bi * H + j;
        const i = v128.load(at(zr, j));
        const f = v128.load(at(zr, H + j));
        const g = v128.load(at(zr, 2 * H + j));
        const o = v128.load(at(zr, 3 * H + j));
        const tc = tanhV(v128.load(at(cNow, s)));
        let dhv = v128.load(at(dh, s));
        if (dyRow) dhv = f32x4.add(dhv, v128.load(at(dyRow, j)));
        const dcv = f32x4.add(v128.load(at(dc, s)), f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc))));
        v128.store(at(zr, j), f32x4.mul(f32x4.mul(dcv, g), f32x4.mul(i, f32x4.sub(one, i))));
        v128.store(at(zr, H + j), f32x4.mul(f32x4.mul(dcv, v128.load(at(cPrev, s))), f32x4.mul(f, f32x4.sub(one, f))));
        v128.store(at(zr, 2 * H + j), f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(g, g))));
        v128.store(at(zr, 3 * H + j), f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(o, f32x4.sub(one, o))));
        v128.store(at(dc, s), f32x4.mul(dcv, f));
      }
    }
    // dh for step t − 1 = dz_t·Uᵀ (none before the first step).
    if (t > 0) gemm(B, G, H, zt, G, 1, uT, dh, H, false);
  }
  // Everything left sums over steps and examples, each one product over the T·B rows:
  // dU = h_{t−1}ᵀ·dz_t (rows 0…T−1 of hs line up with z's), dW = xᵀ·dz, db = Σ dz, dx = dz·Wᵀ.
  gemm(H, T * B, G, hs, 1, H, z, dU, G, false);
  gemm(I, T * B, G, xt, 1, I, z, dW, G, false);
  memory.fill(db, 0, <usize>G << 2);
  for (let r = 0; r < T * B; r++) axpy(db, one, at(z, r * G), G);
  if (dx && (I & 3) === 0) {
    // Step by step, so each step's rows land batch-major (T·I apart) in dx.
    for (let k = 0; k < I; k++) for (let j = 0; j < G; j++) store<f32>(at(wT, j * I + k), load<f32>(at(W, k * G + j)));
    for (let t = 0; t < T; t++) gemm(B, G, I, at(z, t * B * G), G, 1, wT, at(dx, t * I), T * I, false);
  } else if (dx) {
    for (let bi = 0; bi < B; bi++) {
      for (let t = 0; t < T; t++) {
        const zr = at(z, (t * B + bi) * G);
        const dxr = at(dx, (bi * T + t) * I);
        for (let k = 0; k < I; k++) store<f32>(at(dxr, k), dot(zr, at(W, k * G), G));
      }
    }
  }
}
