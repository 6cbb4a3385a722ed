import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from '../../../src/evaluation/evaluate';

describe('evaluation by clip', () => {
  it('keeps every test clip with its true and predicted genre, its mean probabilities and each segment\'s', () => {
    const d = { genres: ['a', 'b'], clipPaths: ['x/a/1.wav', 'x/b/2.wav'], labels: Int32Array.from([0, 0, 1, 1]), clipOf: Int32Array.from([0, 0, 1, 1]) };
    // Clip 1 (a): segments say a, then b, mean a. Clip 2 (b): both segments say a.
    const probs = Float32Array.from([0.9, 0.1, 0.4, 0.6, 0.7, 0.3, 0.8, 0.2]);
    const ev = evaluatePredictions(d, [0, 1, 2, 3], probs);
    expect(ev.clipAccuracy).toBe(0.5);
    expect(ev.clipResults?.map((c) => [c.path, c.label, c.predicted, c.segments.length])).toEqual([['x/a/1.wav', 0, 0, 2], ['x/b/2.wav', 1, 0, 2]]);
    expect(ev.clipResults?.[0].probabilities[0]).toBeCloseTo(0.65, 6);
    expect(ev.clipResults?.[1].segments[1][0]).toBeCloseTo(0.8, 6);
  });

  it('gives the balanced clip accuracy over the genres with a test clip, with its interval', () => {
    // Three clips of a (all right), one of b (wrong), none of c: (1 + 0) / 2 balanced, 3 of 4 plain.
    const d = { genres: ['a', 'b', 'c'], clipPaths: ['1', '2', '3', '4'], labels: Int32Array.from([0, 0, 0, 1]), clipOf: Int32Array.from([0, 1, 2, 3]) };
    const probs = Float32Array.from([0.8, 0.1, 0.1, 0.8, 0.1, 0.1, 0.8, 0.1, 0.1, 0.8, 0.1, 0.1]);
    const ev = evaluatePredictions(d, [0, 1, 2, 3], probs);
    expect(ev.clipAccuracy).toBe(0.75);
    expect(ev.balancedClipAccuracy).toBe(0.5);
    expect(ev.intervals?.balancedClip?.low).toBeLessThanOrEqual(0.5);
    expect(ev.intervals?.balancedClip?.high).toBeGreaterThanOrEqual(0.5);
  });
});
