/**
 * Which runs may be ranked against each other, and their ranks (no DOM). Two test accuracies
 * compare only when both runs were tested on the same clips: the same split (mode, and seed where
 * the split is seeded) of the same dataset.
 */
import { clipIntervalOf, ranksByInterval } from '../../evaluation/describe-metrics';
import type { Interval } from '../../evaluation/intervals';
import type { RunRecord } from '../../storage/run-store';

export type RankedRun = Pick<RunRecord, 'id' | 'split' | 'dataset' | 'metrics'>;

/** A run's clip-accuracy interval: kept, or Wilson's from its accuracy and test clips for runs kept before intervals were. */
export function intervalOfRun(r: Pick<RunRecord, 'metrics'>): Interval | undefined {
  return r.metrics ? clipIntervalOf(r.metrics, r.metrics.testClips ?? 0) : undefined;
}

/** The runs a run compares with share this key: its split (and seed, where the split is seeded) and its dataset. */
export function comparableKey(r: RankedRun): string {
  const seed = r.split.mode === 'filtered' ? '' : `seed ${r.split.seed}`;
  return JSON.stringify([r.split.mode, seed, r.dataset.name, r.dataset.clips, r.dataset.genres]);
}

export interface RunRank {
  /** 1 + the runs of its group whose interval lies wholly above its own; undefined without a test accuracy. */
  rank: number | undefined;
  /** Runs with a test accuracy in its group (itself included). */
  among: number;
  /** Its group's key (comparableKey). */
  group: string;
}

/** Each run's rank among the runs on the same split of the same dataset, never across splits. */
export function rankRuns(runs: readonly RankedRun[]): Map<string, RunRank> {
  const groups = new Map<string, RankedRun[]>();
  for (const r of runs) {
    const key = comparableKey(r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out = new Map<string, RunRank>();
  for (const [group, members] of groups) {
    const intervals = members.map(intervalOfRun);
    const ranks = ranksByInterval(intervals);
    const among = intervals.filter(Boolean).length;
    members.forEach((r, i) => { out.set(r.id, { rank: ranks[i], among, group }); });
  }
  return out;
}

/** The runs by test clip accuracy within each group, the groups in the order of their first run. */
export function sortByAccuracy<T extends RankedRun>(runs: readonly T[]): T[] {
  const order = new Map<string, number>();
  for (const r of runs) if (!order.has(comparableKey(r))) order.set(comparableKey(r), order.size);
  return [...runs].sort((a, b) => (order.get(comparableKey(a))! - order.get(comparableKey(b))!)
    || (b.metrics?.testClipAccuracy ?? -1) - (a.metrics?.testClipAccuracy ?? -1));
}
