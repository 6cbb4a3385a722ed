import { describe, expect, it } from 'vitest';
import { balancedAccuracy, balancedBootstrap, clipBootstrap, describeAccuracy, intervalsOverlap, wilson } from '../../../src/evaluation/intervals';
import { evaluatePredictions } from '../../../src/evaluation/evaluate';

describe('95 % intervals of test accuracy', () => {
  it('Wilson\'s interval for clip accuracy matches its known values', () => {
    // Values from the formula computed by hand and by statsmodels' proportion_confint(method="wilson").
    const a = wilson(45, 58);
    expect(a.low).toBeCloseTo(0.6534, 4);
    expect(a.high).toBeCloseTo(0.8641, 4);
    const b = wilson(3, 4);
    expect(b.low).toBeCloseTo(0.3006, 4);
    expect(b.high).toBeCloseTo(0.9544, 4);
    expect(wilson(10, 10).high).toBeCloseTo(1, 12);
    expect(wilson(10, 10).low).toBeCloseTo(0.7225, 4);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('the clip bootstrap resamples clips, not segments: wide for few clips, narrow for many, the same on every run', () => {
    const clips = (n: number) => Array.from({ length: n }, (_, i) => ({ right: i % 4 === 0 ? 2 : 9, segments: 10 }));
    const few = clipBootstrap(clips(8));
    const many = clipBootstrap(clips(400));
    expect(few.high - few.low).toBeGreaterThan(many.high - many.low);
    // 400 clips × 10 segments: the mean is 0.725, the interval ± about 0.03.
    expect(many.low).toBeGreaterThan(0.69);
    expect(many.high).toBeLessThan(0.76);
    expect(clipBootstrap(clips(8))).toEqual(few);
    // A segment interval treating 4 000 segments as independent would be ±0.014: the bootstrap is wider.
    expect(many.high - many.low).toBeGreaterThan(0.04);
  });

  it('the clip bootstrap never shrinks to a point: clips all equally right give Wilson\'s interval over the clips', () => {
    const perfect = clipBootstrap(Array.from({ length: 3 }, () => ({ right: 10, segments: 10 })));
    expect(perfect.high).toBeCloseTo(1, 12);
    expect(perfect.low).toBeCloseTo(wilson(3, 3).low, 10);
    expect(perfect.low).toBeLessThan(0.5);
    const half = clipBootstrap(Array.from({ length: 20 }, () => ({ right: 5, segments: 10 })));
    expect(half).toEqual(wilson(10, 20));
  });

  it('an evaluation carries both intervals, and they are printed with the clips they rest on', () => {
    const d = { genres: ['a', 'b'], labels: Int32Array.from([0, 0, 1, 1]), clipOf: Int32Array.from([0, 0, 1, 1]), clipPaths: ['a/1.wav', 'b/1.wav'] };
    const ev = evaluatePredictions(d, [0, 1, 2, 3], Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.4, 0.6]));
    expect(ev.clipAccuracy).toBe(1);
    expect(ev.intervals!.clip.low).toBeCloseTo(wilson(2, 2).low, 10);
    expect(describeAccuracy(0.776, wilson(45, 58), 'clip', 58)).toBe('77.6 % per clip (95 % interval 65.3–86.4 %, 58 clips)');
    expect(intervalsOverlap({ low: 0.5, high: 0.7 }, { low: 0.69, high: 0.9 })).toBe(true);
    expect(intervalsOverlap({ low: 0.5, high: 0.7 }, { low: 0.71, high: 0.9 })).toBe(false);
  });
});

describe('the balanced clip accuracy', () => {
  const clips = (perGenre: [right: number, wrong: number][]) => perGenre.flatMap(([r, w], label) => [
    ...Array.from({ length: r }, () => ({ label, right: true })), ...Array.from({ length: w }, () => ({ label, right: false })),
  ]);

  it('is the mean of each genre\'s clip accuracy, so a large genre cannot hide a weak one', () => {
    // 48 of 50 blues right, 1 of 4 disco: 49 of 54 clips (90.7 %), but (96 % + 25 %) / 2 balanced.
    const c = clips([[48, 2], [1, 3]]);
    expect(balancedAccuracy(c)).toBeCloseTo((48 / 50 + 1 / 4) / 2, 10);
  });

  it('counts only genres with a test clip', () => {
    expect(balancedAccuracy(clips([[3, 1], [0, 0], [1, 1]]))).toBeCloseTo((0.75 + 0.5) / 2, 10);
    expect(balancedAccuracy([])).toBe(0);
  });

  it('has a seeded stratified bootstrap interval around it, wider for the genre of 4 clips than the 50 alone would give', () => {
    const c = clips([[48, 2], [1, 3]]);
    const i = balancedBootstrap(c);
    expect(i).toEqual(balancedBootstrap(c));
    const b = balancedAccuracy(c);
    expect(i.low).toBeLessThan(b);
    expect(i.high).toBeGreaterThan(b);
    expect(i.high - i.low).toBeGreaterThan(0.3);
  });

  it('falls back to Wilson\'s interval over the clips when every genre is all right', () => {
    expect(balancedBootstrap(clips([[5, 0], [5, 0]]))).toEqual(wilson(10, 10));
  });
});
