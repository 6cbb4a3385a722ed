import { describe, expect, it } from 'vitest';
import { leakModes, leakSentence, type LeakResult } from '../../../src/evaluation/leak-report';

const r = (mode: LeakResult['mode'], accuracy: number, half: number): LeakResult => ({ mode, accuracy, interval: { low: accuracy - half, high: accuracy + half }, clips: 50 });

describe('the leak report', () => {
  it('compares the artist-disjoint split only on GTZAN, the filtered lists where they fit', () => {
    expect(leakModes({ recognized: false, filteredFits: false })).toEqual(['segment', 'clip']);
    expect(leakModes({ recognized: true, filteredFits: true })).toEqual(['segment', 'clip', 'filtered']);
    expect(leakModes({ recognized: true, filteredFits: false })).toEqual(['segment', 'clip', 'artist']);
  });

  it('claims a difference only where the intervals do not overlap', () => {
    expect(leakSentence([r('segment', 0.93, 0.03), r('clip', 0.92, 0.04), r('filtered', 0.66, 0.06)]))
      .toBe('by segment 93.0 %, by clip 92.0 %, artist-disjoint (fault-filtered) 66.0 % per segment: '
        + 'by segment and by clip are not told apart by their intervals; 26 points of the leaky figure were memory of artists.');
    expect(leakSentence([r('segment', 0.9, 0.02), r('clip', 0.7, 0.05)]))
      .toBe('by segment 90.0 %, by clip 70.0 % per segment: 20 points of the leaky figure were memory of the test clips\' own segments.');
    expect(leakSentence([r('segment', 0.5, 0.02), r('clip', 0.7, 0.05)])).toMatch(/by clip scored 20 points higher than by segment, which no leak explains\.$/);
  });

  it('claims no difference between splits whose training and test sides hold different genres, and says which they lack', () => {
    const clip = { ...r('clip', 0.92, 0.03), missing: { train: [], test: [] } };
    const filtered = { ...r('filtered', 0.35, 0.05), missing: { train: ['classical', 'country'], test: ['metal', 'rock'] } };
    const sentence = leakSentence([r('segment', 0.93, 0.03), clip, filtered]);
    expect(sentence).not.toMatch(/memory of artists/);
    expect(sentence).toMatch(/by clip and artist-disjoint \(fault-filtered\) are not compared: their sides hold different genres \(by clip: every genre on both sides; artist-disjoint \(fault-filtered\): no training clip of classical, country and no test clip of metal, rock\)\.$/);
    // The same genres missing on both: compared as before.
    expect(leakSentence([{ ...r('clip', 0.92, 0.03), missing: filtered.missing }, filtered])).toMatch(/57 points of the leaky figure were memory of artists\.$/);
  });
});
