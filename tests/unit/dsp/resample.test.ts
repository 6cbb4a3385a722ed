import { describe, expect, it } from 'vitest';
import { resample } from '../../../src/dsp/resample';

const sine = (f: number, rate: number, n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f * i) / rate));
const rms = (x: Float32Array, from = 0, to = x.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
};

describe('resample', () => {
  it('keeps a pass-band tone: 1 kHz at 44.1 → 22.05 kHz', () => {
    const out = resample(sine(1000, 44100, 44100), 44100, 22050);
    expect(out.length).toBe(22050);
    const want = sine(1000, 22050, 22050);
    let err = 0;
    for (let i = 200; i < 21850; i++) err = Math.max(err, Math.abs(out[i] - want[i]));
    expect(err).toBeLessThan(1e-3);
  });
  it('removes a tone above the new Nyquist frequency instead of aliasing it', () => {
    const out = resample(sine(15000, 44100, 44100), 44100, 22050);
    expect(rms(out, 200, out.length - 200)).toBeLessThan(1e-3);
  });
  it('handles rates with no small ratio (48 kHz → 22.05 kHz) and upsampling', () => {
    const down = resample(sine(440, 48000, 48000), 48000, 22050);
    expect(down.length).toBe(22050);
    expect(rms(down, 500, 21500)).toBeCloseTo(Math.SQRT1_2, 2);
    const up = resample(sine(440, 16000, 16000), 16000, 22050);
    expect(up.length).toBe(22050);
    expect(rms(up, 500, 21500)).toBeCloseTo(Math.SQRT1_2, 2);
  });
  it('returns the input at the same rate', () => {
    const x = sine(100, 22050, 100);
    expect(resample(x, 22050, 22050)).toBe(x);
  });
});
