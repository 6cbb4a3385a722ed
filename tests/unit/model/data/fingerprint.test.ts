import { describe, expect, it } from 'vitest';
import { toTrainingData } from '../../../../src/dataset/training-data';
import { dataFingerprint } from '../../../../src/model/data/fingerprint';
import { syntheticFeatures } from '../../../fixtures/features';

describe('the fingerprint of a run\'s data', () => {
  it('is the same for the same data and changes with any value, label or clip name', () => {
    const make = () => toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 2, seconds: 6 }));
    const base = dataFingerprint(make());
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(dataFingerprint(make())).toBe(base);
    const value = make();
    value.x[12345] = Math.fround(value.x[12345] + 1e-3);
    const label = make();
    label.labels[0] = 1 - label.labels[0];
    const name = make();
    name.clipPaths[1] += ' ';
    const fingerprints = [value, label, name].map(dataFingerprint);
    expect(new Set([base, ...fingerprints]).size).toBe(4);
  });
});
