import { describe, expect, it } from 'vitest';
import { defaultSplit } from '../../../src/evaluation/default-split';
import { summarizeGtzan } from '../../../src/dataset/gtzan';
import { dataOfPaths, gtzanPaths } from '../../fixtures/gtzan-paths';

const choose = (paths: string[]) => defaultSplit(dataOfPaths(paths), summarizeGtzan(paths));

describe('the default split', () => {
  it('is the fault-filtered split on the whole of GTZAN, with nothing to explain', () => {
    expect(choose(gtzanPaths(100))).toEqual({ mode: 'filtered' });
  });

  it('on partial GTZAN (blues and jazz whole, 10 clips of the rest) is the best split that trains and tests every genre, saying why', () => {
    const full = new Set(['blues', 'jazz']);
    const paths = gtzanPaths(100).filter((p) => full.has(p.split('/')[1]) || Number(p.slice(-9, -4)) < 10);
    const d = choose(paths);
    // The fault-filtered split has no training clip of classical or country here, the by-artist split no test clip of three genres.
    expect(d.mode).toBe('clip');
    expect(d.reason).toMatch(/^Split chosen: by clip, the one that trains and tests every genre of these clips \(the fault-filtered split would leave no training clip of classical, country and no test clip of .*; the by-artist split would leave no test clip of /);
  });

  it('on the first 10 clips of each genre leaves the fault-filtered split (no training clip of three genres)', () => {
    const d = choose(gtzanPaths(10));
    expect(d.mode).not.toBe('filtered');
    expect(d.reason).toMatch(/fault-filtered/);
  });

  it('is by clip, without a reason, on clips that are not GTZAN\'s', () => {
    expect(choose(['x/a/1.wav', 'x/a/2.wav', 'x/b/1.wav', 'x/b/2.wav'])).toEqual({ mode: 'clip' });
  });
});

describe('the splits the leak report compares', () => {
  it('take the by-artist split for the artist-disjoint one where the fault-filtered split leaves a genre out and it does not', async () => {
    const { leakSplits } = await import('../../../src/evaluation/default-split');
    const whole = gtzanPaths(100);
    expect(leakSplits(dataOfPaths(whole), summarizeGtzan(whole))).toEqual(['segment', 'clip', 'filtered']);
    // The first 30 clips of each genre: the fault-filtered lists fit most of them but leave a genre out of a side; whole artists do not.
    const part = gtzanPaths(100).filter((p) => Number(p.slice(-9, -4)) < 30);
    expect(leakSplits(dataOfPaths(part), summarizeGtzan(part))).toEqual(['segment', 'clip', 'artist']);
    expect(defaultSplit(dataOfPaths(part), summarizeGtzan(part)).mode).toBe('artist');
    // The first 10: neither covers every genre, so the report keeps the fault-filtered split (and claims nothing across it).
    expect(leakSplits(dataOfPaths(gtzanPaths(10)), summarizeGtzan(gtzanPaths(10)))).toEqual(['segment', 'clip', 'filtered']);
    expect(leakSplits(dataOfPaths(['x/a/1.wav', 'x/b/1.wav']), summarizeGtzan(['x/a/1.wav', 'x/b/1.wav']))).toEqual(['segment', 'clip']);
  });
});
