import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/dsp/decode';
import { AudioDecodeError } from '../../../src/dsp/errors';
import { loadAudio } from '../../../src/dsp/load';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { ClipExtractor } from '../../../src/features/extract-clip';
import { encodeAu, encodeWav, synthClip } from '../../fixtures/audio';

function reasonOf(bytes: Uint8Array): string {
  try {
    decodeAudio(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(AudioDecodeError);
    return (e as Error).message;
  }
  throw new Error('expected a decoding error');
}

describe('long clips: only what the segments use is decoded and resampled', () => {
  it('gives the same first seconds as decoding and resampling everything, at any source rate', () => {
    for (const [rate, channels] of [[44100, 2], [22050, 1], [8000, 1], [48000, 3]]) {
      const mono = synthClip(1, 12, rate, 3);
      const interleaved = new Float32Array(mono.length * channels);
      for (let i = 0; i < mono.length; i++) for (let c = 0; c < channels; c++) interleaved[i * channels + c] = mono[i] * (1 - 0.1 * c);
      const bytes = encodeWav({ samples: interleaved, sampleRate: rate, channels, format: 'f32' });
      const whole = loadAudio(bytes, 22050);
      const part = loadAudio(bytes, 22050, 5);
      expect(part.samples.length).toBe(5 * 22050);
      expect(Array.from(part.samples)).toEqual(Array.from(whole.samples.subarray(0, 5 * 22050)));
      expect(part.seconds).toBeCloseTo(12, 6);
    }
  });

  it('a 10-minute WAV is decoded and resampled for its first 30 s only, and reports its real length', () => {
    const rate = 8000;
    const long = new Float32Array(600 * rate).map((_, i) => Math.sin(i / 7) * 0.3);
    const bytes = encodeWav({ samples: long, sampleRate: rate });
    expect(decodeAudio(bytes, { framesNeeded: () => 1000 }).samples.length).toBe(1000);
    const audio = loadAudio(bytes, 22050, 30);
    expect(audio.samples.length).toBe(30 * 22050);
    expect(audio.seconds).toBe(600);
    const r = new ClipExtractor(DEFAULT_SETTINGS).fromBytes(bytes);
    expect(r.segments).toHaveLength(10);
    expect(r.seconds).toBe(600);
    // Classification still reads all of it.
    expect(new ClipExtractor(DEFAULT_SETTINGS).fromBytes(bytes, { wholeSignal: true }).segments).toHaveLength(200);
  });
});

describe('headers and samples that cannot be real audio', () => {
  it('refuses sample rates below 1 000 Hz or above 768 000 Hz, by the rate declared', () => {
    expect(reasonOf(encodeWav({ samples: new Float32Array(20000), sampleRate: 1 }))).toBe('the fmt chunk declares a sample rate of 1 Hz; audio is read at 1000 to 768000 Hz');
    expect(reasonOf(encodeWav({ samples: new Float32Array(100), sampleRate: 4_000_000_000 }))).toMatch(/sample rate of 4000000000 Hz/);
    expect(reasonOf(encodeAu({ samples: new Float32Array(100), sampleRate: 999 }))).toMatch(/the AU header declares a sample rate of 999 Hz/);
  });

  it('refuses NaN and infinite float samples, naming where the first one is', () => {
    const samples = new Float32Array(22050).fill(0.1);
    samples[11025] = NaN;
    expect(reasonOf(encodeWav({ samples, sampleRate: 22050, format: 'f32' }))).toBe('the file holds a NaN sample (the first at 0.500 s): its audio cannot be used');
    samples[11025] = 0;
    samples[2205] = Infinity;
    expect(reasonOf(encodeWav({ samples, sampleRate: 22050, format: 'f64' }))).toMatch(/an infinite sample \(the first at 0.100 s\)/);
    expect(() => new ClipExtractor(DEFAULT_SETTINGS).fromSamples(samples, 22050, 'MP3 (browser decoder)')).toThrow(/infinite sample/);
  });
});
