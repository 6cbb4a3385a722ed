import { describe, expect, it } from 'vitest';
import { compileMfccKernel } from '../../../scripts/build-wasm';
import { MfccExtractor } from '../../../src/dsp/mfcc';
import { createMfcc } from '../../../src/dsp/mfcc-engine';
import { DEFAULT_SETTINGS, type FeatureSettings } from '../../../src/dsp/settings';
import { MFCC_KERNEL_WASM } from '../../../src/generated/mfcc-kernel.wasm';
import { WasmMfccExtractor } from '../../../src/dsp/wasm/wasm-mfcc';
import { rng, synthClip } from '../../fixtures/audio';
import { maxAbsDiff } from '../../fixtures/reference';

/** The float32 kernel against the float64 JavaScript: librosa parity's bound, on values of ~100. */
const TOL = 2e-3;

function noise(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

function agree(settings: FeatureSettings, signal: Float32Array): number {
  const js = new MfccExtractor(settings).compute(signal);
  const wasm = new WasmMfccExtractor(settings).compute(signal);
  expect(wasm.length).toBe(js.length);
  return maxAbsDiff(wasm, js);
}

describe('WebAssembly SIMD MFCC kernel', () => {
  it('is the engine chosen by default where SIMD validates (Node 20 has it)', () => {
    expect(createMfcc(DEFAULT_SETTINGS).engine).toBe('wasm-simd');
    expect(createMfcc(DEFAULT_SETTINGS, 'js').engine).toBe('js');
    expect(createMfcc({ ...DEFAULT_SETTINGS, nFft: 8, hopLength: 4 }).engine).toBe('js');
    expect(() => createMfcc({ ...DEFAULT_SETTINGS, nFft: 8, hopLength: 4 }, 'wasm-simd')).toThrow(/n_fft ≥ 16/);
  });

  // n_fft 256…4096: half-size transforms with an even and an odd number of radix-2 stages, so
  // both the radix-4 first pass and the radix-2 one plus the scalar h = 2 pass run.
  for (const nFft of [16, 32, 256, 512, 1024, 2048, 4096]) {
    it(`agrees with the JavaScript engine at n_fft ${nFft}`, () => {
      const settings = { ...DEFAULT_SETTINGS, nFft, hopLength: nFft / 4 };
      expect(agree(settings, synthClip(4, 2, 22050, nFft))).toBeLessThan(TOL);
    });
  }

  it('agrees with mel and MFCC counts that are not multiples of four, and reflect padding', () => {
    const settings: FeatureSettings = { ...DEFAULT_SETTINGS, nMels: 42, nMfcc: 19, hopLength: 300, padMode: 'reflect' };
    expect(agree(settings, noise(30_000, 1))).toBeLessThan(TOL);
  });

  it('agrees on signals shorter than one frame, where every frame is padded', () => {
    for (const padMode of ['constant', 'reflect'] as const) {
      expect(agree({ ...DEFAULT_SETTINGS, padMode }, noise(700, 2))).toBeLessThan(TOL);
    }
  });

  it('gives silence the floor: every dB value at −100, so MFCC 0 is −100·√128 and the rest 0', () => {
    const m = new WasmMfccExtractor(DEFAULT_SETTINGS).compute(new Float32Array(22050));
    expect(m[0]).toBeCloseTo(-100 * Math.sqrt(128), 2);
    expect(Math.max(...Array.from(m.subarray(1, 13), Math.abs))).toBeLessThan(1e-3);
  });

  it('keeps its results when later calls grow the buffers and reuse them', () => {
    const ex = new WasmMfccExtractor(DEFAULT_SETTINGS);
    const short = synthClip(1, 3, 22050, 5);
    const first = ex.compute(short);
    const long = ex.compute(synthClip(2, 40, 22050, 6));
    expect(long.length).toBe((1 + Math.floor((40 * 22050) / 512)) * 13);
    expect(Array.from(ex.compute(short))).toEqual(Array.from(first));
    expect(maxAbsDiff(long, new MfccExtractor(DEFAULT_SETTINGS).compute(synthClip(2, 40, 22050, 6)))).toBeLessThan(TOL);
  });

  it('is committed as compiled from mfcc-kernel.as.ts (run npm run build:wasm after editing it)', async () => {
    const fresh = Buffer.from(await compileMfccKernel()).toString('base64');
    expect(fresh === MFCC_KERNEL_WASM).toBe(true);
  }, 60_000);
});
