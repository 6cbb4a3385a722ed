import { describe, expect, it } from 'vitest';
import { DEFAULT_SPLIT, splitData } from '../../../src/model/data/split';
import { splitWarnings } from '../../../src/evaluation/split-warnings';
import { dataOfPaths, gtzanPaths } from '../../fixtures/gtzan-paths';

const dataOf = dataOfPaths;

describe('split warnings', () => {
  it('say nothing on full GTZAN\'s fault-filtered or by-artist split, or a by-clip split of 100 clips a genre', () => {
    const d = dataOf(gtzanPaths(100));
    for (const mode of ['filtered', 'artist', 'clip'] as const) expect(splitWarnings(d, splitData(d, { ...DEFAULT_SPLIT, mode }))).toEqual([]);
  });

  it('on the first 10 clips of each genre the filtered split leaves 4 test clips: few clips, missing genres, and the by-artist split suggested', () => {
    const d = dataOf(gtzanPaths(10));
    const w = splitWarnings(d, splitData(d, { ...DEFAULT_SPLIT, mode: 'filtered' }));
    expect(w[0]).toMatch(/^Only 4 test clips: one clip moves the clip accuracy by 25 points, and a 50 % accuracy's 95 % interval would span 15–85 %/);
    expect(w).toContain('No training clip of blues, classical, country: the model cannot learn them.');
    expect(w).toContain('Validation has no clip of hiphop, pop, reggae, rock: validation accuracy, early stopping and tuning judge without them.');
    expect(w).toContain('No test clip of blues, classical, country, jazz, metal, reggae and 1 more: their accuracy is not measured (shown as —).');
    expect(w[w.length - 1]).toBe('These 100 of GTZAN\'s 1 000 clips leave the fault-filtered split 93 clips (38 train / 51 validation / 4 test) and 7 left out: '
      + 'the by-artist split uses every clip and still keeps each artist on one side.');
    // The by-clip split of the same clips fills every side with every genre.
    expect(splitWarnings(d, splitData(d, { ...DEFAULT_SPLIT, mode: 'clip' }))).toEqual([]);
  });

  it('name the genre a side lacks, and stay quiet about a side that is empty', () => {
    const d = dataOf(gtzanPaths(100).filter((p) => !p.includes('/rock/')).concat(['x/rock/a.wav', 'x/rock/b.wav']));
    const s = splitData(d, { ...DEFAULT_SPLIT, mode: 'clip' });
    // Two rock clips: one to test, one to train (rounding), none to validation.
    const w = splitWarnings(d, s);
    expect(w).toContain('Validation has no clip of rock: validation accuracy, early stopping and tuning judge without it.');
    expect(w.filter((x) => x.startsWith('No training clip'))).toEqual([]);
    const noTrain = { ...s, train: s.train.filter((i) => d.genres[d.labels[i]] !== 'rock') };
    expect(splitWarnings(d, noTrain)).toContain('No training clip of rock: the model cannot learn it.');
    expect(splitWarnings(d, { ...s, test: [] }).filter((x) => /test clip/i.test(x))).toEqual([]);
  });

  it('on a small part of GTZAN split by artist, suggest by clip and say what it costs', () => {
    const d = dataOf(gtzanPaths(3));
    const w = splitWarnings(d, splitData(d, { ...DEFAULT_SPLIT, mode: 'artist' }));
    expect(w[0]).toMatch(/^Only \d+ test clips/);
    expect(w[w.length - 1]).toMatch(/too few for whole artists to fill every side: the by-clip split fills them, but an artist may then be on two sides/);
  });
});
