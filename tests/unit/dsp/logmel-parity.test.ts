import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/dsp/decode';
import { MfccExtractor } from '../../../src/dsp/mfcc';
import { DEFAULT_SETTINGS, samplesPerSegment } from '../../../src/dsp/settings';
import { maxAbsDiff, REFERENCE_DIR, referenceBytes, requireReference } from '../../fixtures/reference';

describe('log-mel spectrogram (the matrix the MFCCs are the DCT of)', () => {
  it('equals librosa\'s power_to_db(melspectrogram) within 2e-3 dB on the 10 segments, 128 and 64 bands', () => {
    requireReference();
    const ref = JSON.parse(readFileSync(join(REFERENCE_DIR, 'logmel_music30.json'), 'utf8')) as { cases: Record<string, { shape: [number, number]; data: number[] }[]> };
    const signal = decodeAudio(referenceBytes('audio/music30_22050_pcm16.wav')).samples;
    for (const nMels of [128, 64]) {
      const ex = new MfccExtractor({ ...DEFAULT_SETTINGS, nMels });
      const size = samplesPerSegment(DEFAULT_SETTINGS);
      ref.cases[`logmel${nMels}_segments10`].forEach((m, d) => {
        const got = ex.logMel(signal, d * size, (d + 1) * size);
        expect(m.shape).toEqual([130, nMels]);
        expect(maxAbsDiff(got, m.data), `${nMels} bands, segment ${d}`).toBeLessThan(2e-3);
      });
    }
  });
});
