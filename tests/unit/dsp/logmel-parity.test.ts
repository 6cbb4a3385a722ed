import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataJson, dataJsonChunks } from '../../../src/dataset/data-json';
import { decodeAudio } from '../../../src/dsp/decode';
import { MfccExtractor } from '../../../src/dsp/mfcc';
import { createMfcc } from '../../../src/dsp/mfcc-engine';
import { segmentMfccs } from '../../../src/dsp/segments';
import { DEFAULT_SETTINGS, coefficientsPerFrame, samplesPerSegment, settingsKey, validateSettings, type FeatureSettings } from '../../../src/dsp/settings';
import { WasmMfccExtractor } from '../../../src/dsp/wasm/wasm-mfcc';
import { maxAbsDiff, REFERENCE_DIR, referenceBytes, requireReference } from '../../fixtures/reference';

type Reference = { cases: Record<string, { shape: [number, number]; data: number[] }[]> };

function reference(): Reference {
  requireReference();
  return JSON.parse(readFileSync(join(REFERENCE_DIR, 'logmel_music30.json'), 'utf8')) as Reference;
}

describe('log-mel spectrogram (the matrix the MFCCs are the DCT of)', () => {
  for (const engine of ['js', 'wasm-simd'] as const) {
    it(`equals librosa's power_to_db(melspectrogram) within 2e-3 dB on the 10 segments, 128 and 64 bands (${engine} engine)`, () => {
      const ref = reference();
      const signal = decodeAudio(referenceBytes('audio/music30_22050_pcm16.wav')).samples;
      for (const nMels of [128, 64]) {
        const settings: FeatureSettings = { ...DEFAULT_SETTINGS, nMels, featureType: 'logmel' };
        const ex = engine === 'js' ? new MfccExtractor(settings) : new WasmMfccExtractor(settings);
        // segmentMfccs is what extraction runs: compute() gives log-mel when the settings say so.
        const segments = segmentMfccs(signal, ex);
        const size = samplesPerSegment(DEFAULT_SETTINGS);
        expect(segments).toHaveLength(10);
        ref.cases[`logmel${nMels}_segments10`].forEach((m, d) => {
          expect(m.shape).toEqual([130, nMels]);
          expect(maxAbsDiff(segments[d], m.data), `${nMels} bands, segment ${d}`).toBeLessThan(2e-3);
          expect(maxAbsDiff(ex.logMel(signal, d * size, (d + 1) * size), m.data)).toBeLessThan(2e-3);
        });
      }
    });
  }

  it('is what createMfcc gives for log-mel settings, on mel counts that are not multiples of four', () => {
    const signal = decodeAudio(referenceBytes('audio/music30_22050_pcm16.wav')).samples.subarray(0, 50_000);
    const settings: FeatureSettings = { ...DEFAULT_SETTINGS, nMels: 42, featureType: 'logmel', padMode: 'reflect' };
    const js = createMfcc(settings, 'js').compute(signal);
    const wasm = createMfcc(settings, 'wasm-simd').compute(signal);
    expect(js.length).toBe(wasm.length);
    expect(js.length).toBe((1 + Math.floor(50_000 / 512)) * 42);
    expect(maxAbsDiff(js, wasm)).toBeLessThan(2e-3);
    // The MFCCs are still the DCT of it: the same extractor with MFCC settings differs in shape.
    expect(createMfcc({ ...settings, featureType: 'mfcc' }).compute(signal).length).toBe((1 + Math.floor(50_000 / 512)) * 13);
  });

  it('has its own cache key, leaving the MFCC key as it was before log-mel existed', () => {
    expect(settingsKey(DEFAULT_SETTINGS)).toBe('22050/13/2048/512/128/10/30/constant');
    expect(settingsKey({ ...DEFAULT_SETTINGS, featureType: 'mfcc' })).toBe(settingsKey(DEFAULT_SETTINGS));
    expect(settingsKey({ ...DEFAULT_SETTINGS, featureType: 'logmel' })).toBe('22050/13/2048/512/128/10/30/constant/logmel');
    expect(coefficientsPerFrame({ ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 64 })).toBe(64);
    expect(validateSettings({ ...DEFAULT_SETTINGS, featureType: 'chroma' as never })).toMatch(/featureType/);
    // Log-mel does not need nMfcc ≤ nMels; it does bound the segment's size by its bands.
    expect(validateSettings({ ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 8 })).toBeUndefined();
    expect(validateSettings({ ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 512, hopLength: 64 })).toMatch(/too large/);
  });

  it('travels through data.json: the feature type and the band count come back', () => {
    const settings: FeatureSettings = { ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 64 };
    const seg = Float32Array.from({ length: 130 * 64 }, (_, i) => -(i % 80));
    const set = { settings, genres: ['a', 'b'], frames: 130, coefficients: 64, clips: [
      { path: 'a/a.1.wav', genre: 'a', segments: [seg] }, { path: 'b/b.1.wav', genre: 'b', segments: [seg] },
    ] };
    const back = parseDataJson(JSON.parse([...dataJsonChunks(set)].join('')));
    expect(back.settings.featureType).toBe('logmel');
    expect(back.settings.nMels).toBe(64);
    expect(back.coefficients).toBe(64);
    expect(maxAbsDiff(back.clips[0].segments[0], seg)).toBeLessThan(1e-4);
  });
});
