import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/dsp/decode';
import { loadAudio } from '../../../src/dsp/load';
import { melFilterbank } from '../../../src/dsp/mel';
import { MfccExtractor } from '../../../src/dsp/mfcc';
import { createMfcc } from '../../../src/dsp/mfcc-engine';
import { segmentMfccs } from '../../../src/dsp/segments';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { hannPeriodic } from '../../../src/dsp/window';
import { loadReference, loadStages, maxAbsDiff, referenceBytes } from '../../fixtures/reference';

const ref = loadReference();
const MFCC_TOL = 2e-3;
/** One least-significant bit of each subtype, the decoder's tolerance. */
const LSB: Record<string, number> = { PCM_16: 1 / 32768, PCM_24: 1 / 8388608, PCM_U8: 1 / 128, FLOAT: 1e-7 };

describe('decoders match librosa.load(sr=None)', () => {
  for (const [name, c] of Object.entries(ref.cases)) {
    it(name, () => {
      const d = decodeAudio(referenceBytes(c.file));
      const lsb = LSB[c.file_format.subtype];
      expect(lsb).toBeDefined();
      expect(d.sampleRate).toBe(c.load_sr_none.sr);
      expect(d.channels).toBe(c.file_format.channels);
      expect(d.samples.length).toBe(c.load_sr_none.length);
      expect(maxAbsDiff(d.samples.subarray(0, 16), c.load_sr_none.first16)).toBeLessThanOrEqual(lsb);
      let sum = 0, sumsq = 0;
      for (const v of d.samples) { sum += v; sumsq += v * v; }
      // Sums over n samples may drift by n·LSB at most; in practice they match far closer.
      expect(Math.abs(sum - c.load_sr_none.sum)).toBeLessThanOrEqual(lsb * d.samples.length);
      expect(Math.abs(sumsq - c.load_sr_none.sumsq)).toBeLessThanOrEqual(2 * lsb * d.samples.length);
    });
  }
});

// Both engines: the float64 JavaScript and the float32 WebAssembly SIMD kernel the workers use.
for (const engine of ['js', 'wasm-simd'] as const) {
  describe(`${engine}: MFCC of whole signals at 22050 Hz`, () => {
    const extractor = createMfcc(DEFAULT_SETTINGS, engine);
    for (const [name, c] of Object.entries(ref.cases)) {
      if (!c.mfcc_whole) continue;
      it(`${name} within ${MFCC_TOL}`, () => {
        const d = decodeAudio(referenceBytes(c.file));
        const m = extractor.compute(d.samples);
        expect([m.length / 13, 13]).toEqual(c.mfcc_whole!.shape);
        expect(maxAbsDiff(m, c.mfcc_whole!.data)).toBeLessThan(MFCC_TOL);
      });
    }
  });

  describe(`${engine}: segment MFCCs of the 30 s clip (the recipe path)`, () => {
    const c = ref.cases['music30_22050_pcm16.wav'];
    const signal = decodeAudio(referenceBytes(c.file)).samples;

    it('10 segments of 130 frames, zero padding', () => {
      const segs = segmentMfccs(signal, createMfcc(DEFAULT_SETTINGS, engine));
      expect(segs).toHaveLength(10);
      segs.forEach((s, i) => {
        expect(s.length).toBe(130 * 13);
        expect(maxAbsDiff(s, c.segments10![i].data)).toBeLessThan(MFCC_TOL);
      });
    });

    for (const padMode of ['constant', 'reflect'] as const) {
      it(`5 segments of 259 frames, ${padMode} padding`, () => {
        const segs = segmentMfccs(signal, createMfcc({ ...DEFAULT_SETTINGS, segments: 5, padMode }, engine));
        const expected = padMode === 'constant' ? c.segments! : c.segments_pad_reflect!;
        expect(segs).toHaveLength(5);
        segs.forEach((s, i) => {
          expect(s.length).toBe(259 * 13);
          expect(maxAbsDiff(s, expected[i].data)).toBeLessThan(MFCC_TOL);
        });
      });
    }

    it('reflect and zero padding really differ on the edge frames', () => {
      const a = segmentMfccs(signal, createMfcc({ ...DEFAULT_SETTINGS, segments: 5 }, engine))[0];
      const b = segmentMfccs(signal, createMfcc({ ...DEFAULT_SETTINGS, segments: 5, padMode: 'reflect' }, engine))[0];
      expect(maxAbsDiff(a.subarray(0, 13), b.subarray(0, 13))).toBeGreaterThan(0.01);
    });
  });
}

describe('intermediate stages of segment 0, frame 10', () => {
  const stages = loadStages();
  const c = ref.cases['music30_22050_pcm16.wav'];
  const signal = decodeAudio(referenceBytes(c.file)).samples;
  const settings = { ...DEFAULT_SETTINGS, segments: 5 };
  const ex = new MfccExtractor(settings);
  const power = new Float64Array(1025);
  ex.powerFrame(signal, 0, 132300, 10, power);
  const mel = new Float64Array(128);
  ex.melFromPower(power, mel);

  it('periodic Hann window', () => {
    expect(maxAbsDiff(hannPeriodic(2048).subarray(0, 8), stages.window_hann_periodic_first8 as number[])).toBeLessThan(1e-12);
  });
  it('power spectrum within 1e-5 relative', () => {
    const ref = stages.power_frame as number[];
    const peak = Math.max(...ref);
    expect(maxAbsDiff(power, ref) / peak).toBeLessThan(1e-5);
  });
  it('mel energies within 1e-5 relative', () => {
    const ref = stages.mel_frame as number[];
    for (let m = 0; m < 128; m++) expect(Math.abs(mel[m] - ref[m])).toBeLessThanOrEqual(1e-5 * Math.abs(ref[m]) + 1e-12);
  });
  it('dB values, segment maximum and MFCC frame', () => {
    const db = Array.from(mel, (v) => 10 * Math.log10(Math.max(1e-10, v)));
    expect(maxAbsDiff(db, stages.db_frame_before_top_db as number[])).toBeLessThan(1e-3);
    const full = ex.compute(signal, 0, 132300);
    expect(full.length / 13).toBe(stages.n_frames);
    expect(maxAbsDiff(full.subarray(10 * 13, 11 * 13), stages.mfcc_frame as number[])).toBeLessThan(MFCC_TOL);
    // The clipped frame equals the unclipped one here; the floor is the segment max minus 80 dB.
    const floor = (stages.db_max_over_segment as number) - 80;
    const clipped = db.map((v) => Math.max(v, floor));
    expect(maxAbsDiff(clipped, stages.db_frame as number[])).toBeLessThan(1e-3);
  });
});

describe('Slaney mel filterbank', () => {
  it('matches librosa.filters.mel within 1e-7', () => {
    const bytes = referenceBytes('mel_filterbank_22050_2048_128.f32');
    const expected = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const fb = melFilterbank({ sampleRate: 22050, nFft: 2048, nMels: 128 });
    expect(fb.length).toBe(128 * 1025);
    expect(maxAbsDiff(fb, expected)).toBeLessThan(1e-7);
  });
});

describe.each(['js', 'wasm-simd'] as const)('%s: 44.1 kHz stereo, resampled to 22050 Hz', (engine) => {
  const c = ref.cases['stereo44100_pcm16.wav'];
  const audio = loadAudio(referenceBytes(c.file), 22050);
  const mfcc = createMfcc(DEFAULT_SETTINGS, engine).compute(audio.samples);

  it('has librosa.resample\'s length', () => {
    expect(audio.samples.length).toBe(c.resampled_kaiser_best!.length);
    expect(audio.samples.length).toBe(c.resampled_polyphase!.length);
  });

  // Resamplers differ in their filters and, most of all, in how they treat the first and last
  // few milliseconds. Bound: interior frames (all but 3 at each end, whose windows reach the
  // signal's edges) within 0.05 of kaiser_best and 0.1 of polyphase; every frame within 1.5.
  for (const [key, interiorTol] of [['resampled_kaiser_best', 0.05], ['resampled_polyphase', 0.1]] as const) {
    it(`MFCCs follow ${key}`, () => {
      const r = c[key]!.mfcc;
      expect([mfcc.length / 13, 13]).toEqual(r.shape);
      const frames = r.shape[0];
      const interior = maxAbsDiff(mfcc.subarray(3 * 13, (frames - 3) * 13), r.data.slice(3 * 13, (frames - 3) * 13));
      expect(interior).toBeLessThan(interiorTol);
      expect(maxAbsDiff(mfcc, r.data)).toBeLessThan(1.5);
    });
  }
});
