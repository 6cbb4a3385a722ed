import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/dsp/decode';
import { AudioDecodeError } from '../../../src/dsp/errors';
import { encodeAu, encodeWav } from '../../fixtures/audio';

const tone = (n: number, channels = 1) => Float32Array.from({ length: n * channels }, (_, i) => 0.5 * Math.sin(i / 7));

function decodeError(bytes: Uint8Array): AudioDecodeError {
  try {
    decodeAudio(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(AudioDecodeError);
    return e as AudioDecodeError;
  }
  throw new Error('expected a decode error');
}

describe('WAV decoding', () => {
  for (const format of ['u8', 'i16', 'i24', 'i32', 'f32', 'f64'] as const) {
    it(`reads ${format} within one LSB`, () => {
      const samples = tone(1000);
      const d = decodeAudio(encodeWav({ samples, sampleRate: 16000, format }));
      const lsb = { u8: 1 / 128, i16: 1 / 32768, i24: 1 / 8388608, i32: 1e-9, f32: 1e-7, f64: 1e-7 }[format];
      expect(d.sampleRate).toBe(16000);
      expect(d.samples.length).toBe(1000);
      for (let i = 0; i < 1000; i++) expect(Math.abs(d.samples[i] - samples[i])).toBeLessThanOrEqual(lsb);
    });
  }

  it('mixes any number of channels down to their mean', () => {
    const frames = 50;
    const interleaved = new Float32Array(frames * 3);
    for (let i = 0; i < frames; i++) { interleaved[3 * i] = 0.3; interleaved[3 * i + 1] = -0.1; interleaved[3 * i + 2] = 0.1; }
    const d = decodeAudio(encodeWav({ samples: interleaved, sampleRate: 8000, channels: 3, format: 'f32' }));
    expect(d.channels).toBe(3);
    expect(d.samples.length).toBe(frames);
    expect(d.samples[7]).toBeCloseTo(0.1, 6);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE', () => {
    const d = decodeAudio(encodeWav({ samples: tone(100), sampleRate: 22050, format: 'i24', extensible: true }));
    expect(d.encoding).toBe('WAV PCM 24-bit');
    expect(d.samples.length).toBe(100);
  });

  it('skips unknown chunks, padding odd sizes', () => {
    const samples = tone(64);
    const bytes = encodeWav({
      samples, sampleRate: 22050,
      extraChunks: [{ id: 'LIST', bytes: new Uint8Array(5).fill(65) }, { id: 'junk', bytes: new Uint8Array(2) }],
    });
    const d = decodeAudio(bytes);
    expect(d.samples.length).toBe(64);
    expect(d.samples[10]).toBeCloseTo(samples[10], 4);
  });

  it('reads a streaming header whose data size was never filled in (0xFFFFFFFF)', () => {
    const d = decodeAudio(encodeWav({ samples: tone(80), sampleRate: 22050, declaredDataSize: 0xffffffff }));
    expect(d.samples.length).toBe(80);
  });
});

describe('AU decoding', () => {
  it('reads big-endian 16-bit and 8-bit linear PCM', () => {
    const samples = tone(300);
    for (const format of ['i16', 'u8'] as const) {
      const d = decodeAudio(encodeAu({ samples, sampleRate: 22050, format }));
      expect(d.samples.length).toBe(300);
      expect(Math.abs(d.samples[42] - samples[42])).toBeLessThanOrEqual(format === 'i16' ? 1 / 32768 : 1 / 128);
    }
  });
  it('mixes AU stereo down', () => {
    const interleaved = Float32Array.from({ length: 20 }, (_, i) => (i % 2 ? 0.5 : -0.25));
    const d = decodeAudio(encodeAu({ samples: interleaved, sampleRate: 11025, channels: 2, format: 'f32' }));
    expect(d.samples.length).toBe(10);
    expect(d.samples[3]).toBeCloseTo(0.125, 6);
  });
});

describe('decoder errors name the reason', () => {
  it('empty file', () => {
    const e = decodeError(new Uint8Array(0));
    expect(e.code).toBe('empty');
    expect(e.message).toMatch(/0 bytes/);
  });
  it('text with a .wav name is not audio', () => {
    const e = decodeError(new TextEncoder().encode('hello, this is not a wave file at all'));
    expect(e.code).toBe('not-audio');
  });
  it('RIFF that is not WAVE', () => {
    const bytes = encodeWav({ samples: tone(10), sampleRate: 8000 });
    bytes.set([0x41, 0x56, 0x49, 0x20], 8); // "AVI "
    expect(decodeError(bytes).code).toBe('not-audio');
  });
  it('unsupported encoding names the format tag', () => {
    const e = decodeError(encodeWav({ samples: tone(10), sampleRate: 8000, formatTag: 0x0011 }));
    expect(e.code).toBe('unsupported-encoding');
    expect(e.message).toContain('0x0011');
    expect(e.message).toContain('IMA ADPCM');
  });
  it('unsupported PCM width', () => {
    const bytes = encodeWav({ samples: tone(10), sampleRate: 8000 });
    new DataView(bytes.buffer).setUint16(34, 12, true);
    expect(decodeError(bytes).message).toMatch(/12 bits/);
  });
  it('missing fmt chunk', () => {
    const bytes = encodeWav({ samples: tone(10), sampleRate: 8000 });
    bytes.set([0x78, 0x78, 0x78, 0x78], 12); // rename "fmt " so it is skipped
    const e = decodeError(bytes);
    expect(e.code).toBe('missing-chunk');
    expect(e.message).toMatch(/fmt/);
  });
  it('missing data chunk', () => {
    const bytes = encodeWav({ samples: tone(10), sampleRate: 8000 });
    bytes.set([0x78, 0x78, 0x78, 0x78], 36);
    const e = decodeError(bytes);
    expect(e.code).toBe('missing-chunk');
    expect(e.message).toMatch(/data/);
  });
  it('truncated data says how many bytes were promised and found', () => {
    const full = encodeWav({ samples: tone(1000), sampleRate: 8000 });
    const e = decodeError(full.subarray(0, full.length - 500));
    expect(e.code).toBe('truncated');
    expect(e.message).toContain('2000 bytes');
    expect(e.message).toContain('1500');
  });
  it('a huge declared data size is truncation, not an allocation', () => {
    const e = decodeError(encodeWav({ samples: tone(10), sampleRate: 8000, declaredDataSize: 0xfffffff0 }));
    expect(e.code).toBe('truncated');
  });
  it('zero samples', () => {
    const e = decodeError(encodeWav({ samples: new Float32Array(0), sampleRate: 8000 }));
    expect(e.code).toBe('empty');
  });
  it('zero channels and zero rate', () => {
    const a = encodeWav({ samples: tone(10), sampleRate: 8000 });
    new DataView(a.buffer).setUint16(22, 0, true);
    expect(decodeError(a).code).toBe('bad-header');
    const b = encodeWav({ samples: tone(10), sampleRate: 8000 });
    new DataView(b.buffer).setUint32(24, 0, true);
    expect(decodeError(b).code).toBe('bad-header');
  });
  it('AU µ-law is unsupported, by name', () => {
    const e = decodeError(encodeAu({ samples: tone(10), sampleRate: 8000, encoding: 1, format: 'u8' }));
    expect(e.code).toBe('unsupported-encoding');
    expect(e.message).toMatch(/mu-law/);
  });
  it('AU truncated and AU short header', () => {
    const full = encodeAu({ samples: tone(100), sampleRate: 8000 });
    expect(decodeError(full.subarray(0, 100)).code).toBe('truncated');
    expect(decodeError(full.subarray(0, 10)).code).toBe('bad-header');
  });
});
