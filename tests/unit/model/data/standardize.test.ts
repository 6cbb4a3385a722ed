import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../src/dataset/limits';
import { fitStandardization } from '../../../../src/model/data/standardize';

describe('fitStandardization', () => {
  it('turns a deviation below the lab\'s floor into 1, as it does an exact 0, and keeps larger ones', () => {
    // 2 segments × 2 frames × 3 coefficients: coefficient 0 varies, 1 hardly (1e-8), 2 not at all.
    const x = Float32Array.from([0, 1, 5, 2, 1 + 1e-7, 5, 4, 1, 5, 6, 1 + 1e-7, 5]);
    const s = fitStandardization(x, [0, 1], 2, 3);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(5), 6);
    expect(s.std[1]).toBe(1);
    expect(s.std[2]).toBe(1);
    expect(LIMITS.minDeviation).toBe(1e-6);
    expect(s.std.every((d) => d >= LIMITS.minDeviation)).toBe(true);
  });
});
