import { describe, expect, it } from 'vitest';
import { MfccExtractor } from '../../../src/dsp/mfcc';
import { segmentMfccs } from '../../../src/dsp/segments';
import { DEFAULT_SETTINGS, framesPerSegment, samplesPerSegment, settingsKey, validateSettings } from '../../../src/dsp/settings';
import { synthClip } from '../../fixtures/audio';

const ex = new MfccExtractor(DEFAULT_SETTINGS);

describe('segmenting as the recipe does', () => {
  it('defaults: 10 segments of 66150 samples and 130 frames', () => {
    expect(samplesPerSegment(DEFAULT_SETTINGS)).toBe(66150);
    expect(framesPerSegment(DEFAULT_SETTINGS)).toBe(130);
    expect(framesPerSegment({ ...DEFAULT_SETTINGS, segments: 5 })).toBe(259);
  });
  it('a 30 s clip gives 10 segments; longer clips are cut at 30 s', () => {
    expect(segmentMfccs(synthClip(1, 30, 22050, 1), ex)).toHaveLength(10);
    expect(segmentMfccs(synthClip(1, 35, 22050, 1), ex)).toHaveLength(10);
  });
  it('a short clip keeps the full segments it has and drops the partial one', () => {
    const segs = segmentMfccs(synthClip(2, 10, 22050, 3), ex);
    expect(segs).toHaveLength(3);
    for (const s of segs) expect(s.length).toBe(130 * 13);
    expect(segmentMfccs(synthClip(2, 2.9, 22050, 3), ex)).toHaveLength(0);
  });
  it('wholeSignal cuts every full segment of a long clip', () => {
    expect(segmentMfccs(synthClip(0, 45, 22050, 2), ex, { wholeSignal: true })).toHaveLength(15);
  });
  it('every parameter is configurable', () => {
    const s = { ...DEFAULT_SETTINGS, nMfcc: 20, nFft: 1024, hopLength: 256, segments: 6 };
    const segs = segmentMfccs(synthClip(3, 30, 22050, 4), new MfccExtractor(s));
    expect(segs).toHaveLength(6);
    expect(segs[0].length).toBe(framesPerSegment(s) * 20);
    expect(settingsKey(s)).not.toBe(settingsKey(DEFAULT_SETTINGS));
  });
  it('validates settings with a reason', () => {
    expect(validateSettings(DEFAULT_SETTINGS)).toBeUndefined();
    expect(validateSettings({ ...DEFAULT_SETTINGS, nFft: 1000 })).toMatch(/power of two/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, nMfcc: 200 })).toMatch(/nMels/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, hopLength: 0 })).toMatch(/hopLength/);
    // Bounded, so that a file cannot make a worker allocate gigabytes.
    expect(validateSettings({ ...DEFAULT_SETTINGS, nMels: 4000000 })).toMatch(/nMels must be from 1 to 512, got 4000000/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, nFft: 2 ** 26 })).toMatch(/nFft must be from 16 to 32768/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, nFft: 2 ** 32 })).toMatch(/nFft must be from 16 to 32768/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, nFft: 1.5 })).toMatch(/nFft must be a whole number, got 1.5/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, hopLength: 512.5 })).toMatch(/hopLength must be a whole number/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, sampleRate: 1 })).toMatch(/sampleRate must be from 1000/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, nMfcc: '13' as unknown as number })).toMatch(/nMfcc must be a number, got "13"/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, hopLength: 1, trackSeconds: 3600, segments: 1 })).toMatch(/too large/);
  });
});
