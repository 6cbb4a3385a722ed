import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { readmeFor } from '../../../src/saving/model-zip';

describe('the README in a model\'s zip', () => {
  it('names log-mel features for a log-mel model, never MFCCs', () => {
    const text = readmeFor({ features: { ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 64 } });
    expect(text).not.toMatch(/MFCC/);
    expect(text).toMatch(/the same log-mel spectrogram as the lab \(64 log-mel bands\)/);
    expect(text).toMatch(/\[frames, bands\] of log-mel values \(64 log-mel bands\)/);
  });

  it('speaks of MFCCs for an MFCC model', () => {
    expect(readmeFor({ features: { ...DEFAULT_SETTINGS } })).toMatch(/the same MFCCs as the lab/);
  });
});
