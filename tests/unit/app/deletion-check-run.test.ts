import { describe, expect, it } from 'vitest';
import { verdict } from '../../../src/app/deletion-check-run';

describe('the deletion check in words', () => {
  it('says what each removal cost and whether the marked regions matter more than random ones', () => {
    expect(verdict(0.783, 0.62, 0.759)).toBe('Removing the marked regions costs 16.3 points; removing random ones costs 2.4 points. The explanation points at regions this model relies on.');
    expect(verdict(1, 1, 1)).toMatch(/no more than random ones/);
    expect(verdict(0.8, 0.79, 0.7)).toMatch(/hurt less than random ones/);
  });
});
