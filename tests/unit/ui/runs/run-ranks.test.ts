import { describe, expect, it } from 'vitest';
import { rankRuns, sortByAccuracy, type RankedRun } from '../../../../src/ui/runs/run-ranks';

const run = (id: string, mode: string, clip: number, interval: [number, number], dataset = 'GTZAN', seed = 42): RankedRun => ({
  id: `run:${id}`, split: { mode, seed, sizes: '' }, dataset: { name: dataset, clips: 280, segments: 2800, genres: 10 },
  metrics: { split: mode, testSegmentAccuracy: clip, testClipAccuracy: clip, testLoss: 1, testClips: 74, testClipInterval: interval },
});

describe('ranks of runs', () => {
  it('rank a run only among runs on the same split of the same dataset', () => {
    // The fault-filtered run's interval lies wholly below both by-clip runs', but it is not comparable with them.
    const runs = [run('a', 'clip', 0.93, [0.85, 0.97]), run('b', 'clip', 0.9, [0.82, 0.95]), run('c', 'filtered', 0.5, [0.4, 0.6])];
    const ranks = rankRuns(runs);
    expect(ranks.get('run:a')).toMatchObject({ rank: 1, among: 2 });
    expect(ranks.get('run:b')).toMatchObject({ rank: 1, among: 2 });
    expect(ranks.get('run:c')).toMatchObject({ rank: 1, among: 1 });
    expect(ranks.get('run:a')!.group).not.toBe(ranks.get('run:c')!.group);
  });

  it('keep another seed of a seeded split, or another dataset, out of the group', () => {
    const runs = [run('a', 'clip', 0.9, [0.85, 0.95]), run('b', 'clip', 0.5, [0.4, 0.6], 'GTZAN', 7), run('c', 'clip', 0.5, [0.4, 0.6], 'other')];
    const ranks = rankRuns(runs);
    expect([...ranks.values()].map((r) => [r.rank, r.among])).toEqual([[1, 1], [1, 1], [1, 1]]);
    // Within one group a run wholly below another ranks second.
    expect(rankRuns([runs[0], run('d', 'clip', 0.5, [0.4, 0.6])]).get('run:d')!.rank).toBe(2);
  });

  it('sort by accuracy within each group, never interleaving splits', () => {
    const runs = [run('a', 'clip', 0.8, [0, 1]), run('b', 'filtered', 0.99, [0, 1]), run('c', 'clip', 0.9, [0, 1])];
    expect(sortByAccuracy(runs).map((r) => r.id)).toEqual(['run:c', 'run:a', 'run:b']);
  });
});
