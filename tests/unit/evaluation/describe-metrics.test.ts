import { describe, expect, it } from 'vitest';
import { clipIntervalOf, describeTestAccuracy, ranksByInterval } from '../../../src/evaluation/describe-metrics';
import { wilson } from '../../../src/evaluation/intervals';

const base = { split: 'by clip', testSegmentAccuracy: 0.275, testClipAccuracy: 0.75, testLoss: 1 };

describe('test accuracy in words', () => {
  it('carries both intervals and the clips they rest on', () => {
    expect(describeTestAccuracy({ ...base, testClips: 4, testClipInterval: [0.301, 0.954], testSegmentInterval: [0.12, 0.45] }, 99))
      .toBe('27.5 % per segment (95 % interval 12.0–45.0 %, 4 clips), 75.0 % per clip (95 % interval 30.1–95.4 %, 4 clips)');
  });

  it('says the balanced clip accuracy (mean per genre) with its interval beside the others', () => {
    const m = { ...base, testClips: 4, testClipInterval: [0.301, 0.954] as [number, number], testSegmentInterval: [0.12, 0.45] as [number, number],
      testBalancedClipAccuracy: 0.625, testBalancedClipInterval: [0.25, 1] as [number, number] };
    expect(describeTestAccuracy(m, 4)).toMatch(/75\.0 % per clip \(95 % interval 30\.1–95\.4 %, 4 clips\), balanced 62\.5 % \(mean per-genre clip accuracy, 95 % interval 25\.0–100\.0 %\)$/);
  });

  it('gives a model made before intervals were kept Wilson\'s clip interval from its split, and says the segment one is missing', () => {
    expect(clipIntervalOf(base, 4)).toEqual(wilson(3, 4));
    expect(describeTestAccuracy(base, 4)).toMatch(/^27\.5 % per segment \(no interval: made before they were kept\), 75\.0 % per clip \(95 % interval 30\.1–95\.4 %, 4 clips\)$/);
  });

  it('ranks only what intervals tell apart', () => {
    // b overlaps a and c; c lies wholly below a.
    const ranks = ranksByInterval([{ low: 0.7, high: 0.9 }, { low: 0.55, high: 0.75 }, { low: 0.4, high: 0.6 }, undefined]);
    expect(ranks).toEqual([1, 1, 2, undefined]);
  });
});
