import { describe, expect, it } from 'vitest';
import { describeDivergence, EpochPolicy, PLATEAU_EPOCHS } from '../../../../src/model/optimizers/epoch-policy';

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
    expect(never.observe(8, null)).toMatchObject({ best: false, stop: false });
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

  it('a NaN or infinite training loss stops the run at that epoch and keeps the best epoch so far', () => {
    const p = new EpochPolicy(1e-3, 'constant', 10_000, 0);
    expect(p.observe(1, 1.0, 1.1)).toEqual({ best: true, stop: false, keep: true });
    expect(p.observe(2, 0.9, 1.0)).toEqual({ best: true, stop: false, keep: true });
    expect(p.observe(3, 0.95, 0.9)).toEqual({ best: false, stop: false, keep: false });
    const judged = p.observe(4, 0.9, NaN);
    expect(judged).toMatchObject({ best: false, stop: true, keep: false });
    expect(judged.diverged).toEqual({ epoch: 4, loss: 'training', value: NaN, keptEpoch: 2, kept: 'lowest validation loss' });
    expect(describeDivergence(judged.diverged!, 10_000)).toBe('diverged at epoch 4 of 10000: the training loss was NaN; the weights of epoch 2 are kept (the lowest validation loss)');
    expect(new EpochPolicy(1e-3, 'constant', 5, 0).observe(1, null, Infinity).diverged).toMatchObject({ loss: 'training', value: Infinity, keptEpoch: 0, kept: 'none' });
  });

  it('a non-finite validation loss stops the run even with early stopping on, where it counted for nothing before', () => {
    // Early stopping of 2: two NaN epochs would never have counted towards it.
    const p = new EpochPolicy(1e-3, 'constant', 8, 2);
    expect(p.observe(1, 1.1, 1.1).best).toBe(true);
    const judged = p.observe(2, NaN, 1.05);
    expect(judged.stop).toBe(true);
    expect(judged.diverged).toEqual({ epoch: 2, loss: 'validation', value: NaN, keptEpoch: 1, kept: 'lowest validation loss' });
    expect(describeDivergence(judged.diverged!, 8)).toBe('diverged at epoch 2 of 8: the validation loss was NaN; the weights of epoch 1 are kept (the lowest validation loss)');
    // Non-finite from the first epoch: nothing to keep.
    const first = new EpochPolicy(1e-3, 'constant', 8, 2).observe(1, -Infinity, 1.1).diverged!;
    expect(describeDivergence(first, 8)).toBe('diverged at epoch 1 of 8: the validation loss was -infinite; no epoch before it had finite losses and weights, so no weights are kept');
  });

  it('without a validation split, a diverged run keeps the last epoch whose training loss was finite', () => {
    const p = new EpochPolicy(1e-3, 'constant', 30, 5);
    expect(p.observe(1, null, 2).keep).toBe(true);
    expect(p.observe(2, null, 1e12).keep).toBe(true);
    const judged = p.observe(3, null, NaN);
    expect(judged.diverged).toMatchObject({ epoch: 3, loss: 'training', keptEpoch: 2, kept: 'last finite epoch' });
    expect(describeDivergence(judged.diverged!, 30)).toMatch(/the weights of epoch 2 are kept \(the last epoch with a finite loss\)$/);
  });

  it('weights that overflowed while the losses still looked sane stop the run too, keeping the epoch before', () => {
    const p = new EpochPolicy(1e-3, 'constant', 8, 0);
    p.observe(1, 1.0, 1.0, true);
    const judged = p.observe(2, 0.9, 1.0, false);
    expect(judged).toMatchObject({ best: false, stop: true, keep: false });
    expect(judged.diverged).toMatchObject({ epoch: 2, loss: 'weights', keptEpoch: 1 });
    expect(describeDivergence(judged.diverged!, 8)).toBe('diverged at epoch 2 of 8: the weights held NaN or infinite values; the weights of epoch 1 are kept (the lowest validation loss)');
  });
});
