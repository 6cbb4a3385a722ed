import { describe, expect, it } from 'vitest';
import { RealFft } from '../../../src/dsp/fft';
import { rng } from '../../fixtures/audio';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1), im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      re[k] += x[t] * Math.cos((2 * Math.PI * k * t) / n);
      im[k] -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
  }
  return { re, im };
}

describe('RealFft', () => {
  // Sizes with both an odd and an even number of radix-2 stages in the half-size transform.
  for (const n of [4, 8, 16, 32, 64, 256, 512, 2048]) {
    it(`matches a naive DFT at size ${n}`, () => {
      const r = rng(n);
      const x = Float64Array.from({ length: n }, () => r() * 2 - 1);
      const fft = new RealFft(n);
      const got = fft.spectrum(x);
      const want = naiveDft(x);
      const power = new Float64Array(n / 2 + 1);
      fft.power(x, power);
      for (let k = 0; k <= n / 2; k++) {
        expect(got.re[k]).toBeCloseTo(want.re[k], 9);
        expect(got.im[k]).toBeCloseTo(want.im[k], 9);
        expect(power[k]).toBeCloseTo(want.re[k] ** 2 + want.im[k] ** 2, 8);
      }
    });
  }
  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFft(1000)).toThrow(/power of two/);
  });
});
