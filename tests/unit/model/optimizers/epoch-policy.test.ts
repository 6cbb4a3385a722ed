import { describe, expect, it } from 'vitest';
import { EpochPolicy, PLATEAU_EPOCHS } from '../../../../src/model/optimizers/epoch-policy';

describe('what happens between epochs', () => {
  it('keeps the epoch of the lowest validation loss and stops after `patience` epochs without a lower one', () => {
    const p = new EpochPolicy(1e-3, 'constant', 50, 3);
    const losses = [1.0, 0.8, 0.9, 0.7, 0.75, 0.71, 0.72];
    const seen = losses.map((l, i) => p.observe(i + 1, l));
    expect(seen.map((s) => s.best)).toEqual([true, true, false, true, false, false, false]);
    expect(seen.map((s) => s.stop)).toEqual([false, false, false, false, false, false, true]);
    expect(p.bestEpoch).toBe(4);
    // Without patience it never stops, and without validation nothing is judged.
    const never = new EpochPolicy(1e-3, 'constant', 50, 0);
    expect(losses.map((l, i) => never.observe(i + 1, l).stop).some(Boolean)).toBe(false);
    expect(never.observe(8, null)).toEqual({ best: false, stop: false });
  });

  it('schedules: constant; a cosine from the rate to 0 over the epochs; halved after a plateau', () => {
    expect(new EpochPolicy(0.01, 'constant', 10, 0).rateFor(7)).toBe(0.01);
    const cos = new EpochPolicy(0.01, 'cosine', 10, 0);
    expect(cos.rateFor(1)).toBeCloseTo(0.01, 12);
    expect(cos.rateFor(6)).toBeCloseTo(0.005, 12);
    expect(cos.rateFor(10)).toBeCloseTo(0.01 * 0.5 * (1 + Math.cos((Math.PI * 9) / 10)), 12);
    const plateau = new EpochPolicy(0.01, 'plateau', 100, 0);
    plateau.observe(1, 1);
    for (let e = 2; e < 2 + PLATEAU_EPOCHS - 1; e++) plateau.observe(e, 2);
    expect(plateau.rateFor(5)).toBe(0.01);
    plateau.observe(1 + PLATEAU_EPOCHS, 2);
    expect(plateau.rateFor(6)).toBe(0.005);
  });
});
