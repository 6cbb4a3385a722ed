import { describe, expect, it } from 'vitest';
import { poolSize } from '../../../src/features/pool';

describe('the extraction pool size', () => {
  it('is every core by default, and ?workers can lower it but never raise it past the cores', () => {
    expect(poolSize(8, null)).toBe(8);
    expect(poolSize(8, '2')).toBe(2);
    expect(poolSize(8, '3000')).toBe(8);
    expect(poolSize(2, '1e9')).toBe(2);
    expect(poolSize(8, '-1')).toBe(8);
    expect(poolSize(8, '1.5')).toBe(8);
    expect(poolSize(8, 'abc')).toBe(8);
    expect(poolSize(0, null)).toBe(1);
  });
});
