import { describe, expect, it } from 'vitest';
import { createMfcc } from '../../../src/dsp/mfcc-engine';
import { resample } from '../../../src/dsp/resample';
import { segmentMfccs } from '../../../src/dsp/segments';
import { DEFAULT_SETTINGS, samplesPerSegment, type FeatureSettings } from '../../../src/dsp/settings';
import { LiveSegmenter } from '../../../src/explain/live-segmenter';
import { synthClip } from '../../fixtures/audio';

describe('live segments', () => {
  const settings: FeatureSettings = { ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 64 };

  it('audio arriving in uneven blocks at 48 kHz gives the features a file of the same audio gives, segment by segment', () => {
    const seconds = 3 * samplesPerSegment(settings) / settings.sampleRate + 0.5;
    const input = synthClip(1, seconds, 48000, 7);
    const live = new LiveSegmenter(settings, 48000);
    const got: Float32Array[] = [];
    for (let i = 0, n = 1; i < input.length; i += n, n = 100 + ((n * 7919) % 5000)) got.push(...live.push(input.subarray(i, i + n)));
    const file = segmentMfccs(resample(input, 48000, settings.sampleRate), createMfcc(settings), { wholeSignal: true });
    expect(got.length).toBe(3);
    expect(file.length).toBe(3);
    got.forEach((seg, s) => {
      expect(seg.length).toBe(file[s].length);
      // The same engine on the same audio: the only difference is where the resampler's window starts.
      let worst = 0;
      for (let i = 0; i < seg.length; i++) worst = Math.max(worst, Math.abs(seg[i] - file[s][i]));
      expect(worst).toBeLessThan(0.5);
    });
  });

  it('gives nothing until a whole segment has arrived', () => {
    const live = new LiveSegmenter(settings, 22050);
    expect(live.push(new Float32Array(samplesPerSegment(settings) - 1))).toEqual([]);
    expect(live.push(new Float32Array(1))).toHaveLength(1);
  });
});
