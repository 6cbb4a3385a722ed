import type { GtzanSummary } from '../dataset/gtzan';
import type { SplitMode } from '../model/data/split-options';
import type { Evaluation } from './evaluate';
import { intervalsOverlap, type Interval } from './intervals';

/**
 * The splits the leak report compares, leakiest first: the seed's by-segment split, whole clips
 * held out, and on GTZAN whole artists held out (the fault-filtered lists when they fit the
 * clips, else the by-artist split).
 */
export function leakModes(gtzan: Pick<GtzanSummary, 'recognized' | 'filteredFits'>): SplitMode[] {
  if (!gtzan.recognized) return ['segment', 'clip'];
  return ['segment', 'clip', gtzan.filteredFits ? 'filtered' : 'artist'];
}

/** One split's test result, as the report shows it. */
export interface LeakResult {
  mode: SplitMode;
  /** Segment accuracy: the one measure all three splits share (the by-segment split spreads a clip over both sides). */
  accuracy: number;
  interval: Interval;
  clips: number;
  /** The genres its training and its test side lack; splits are compared only where these are the same. */
  missing?: { train: string[]; test: string[] };
}

export function leakResult(mode: SplitMode, e: Evaluation, missing?: LeakResult['missing']): LeakResult {
  return { mode, accuracy: e.segmentAccuracy, interval: e.intervals?.segment ?? { low: 0, high: 1 }, clips: e.clips, ...(missing ? { missing } : {}) };
}

/** Whether two splits' training sides hold the same genres, and their test sides too. */
function sameGenres(a: LeakResult, b: LeakResult): boolean {
  const key = (r: LeakResult) => JSON.stringify([r.missing?.train ?? [], r.missing?.test ?? []]);
  return key(a) === key(b);
}

export const LEAK_LABELS: Record<SplitMode, string> = {
  segment: 'by segment', clip: 'by clip', filtered: 'artist-disjoint (fault-filtered)', artist: 'artist-disjoint (by artist)',
};

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const points = (v: number) => `${Math.abs(100 * v).toFixed(0)} point${Math.round(Math.abs(100 * v)) === 1 ? '' : 's'}`;

/** What the step from a leakier split to a stricter one took away, in a clause. */
function stepClause(from: LeakResult, to: LeakResult, memory: string): string {
  if (!sameGenres(from, to)) {
    const lacks = (r: LeakResult) =>
      [
        r.missing?.train.length ? `no training clip of ${r.missing.train.join(', ')}` : '',
        r.missing?.test.length ? `no test clip of ${r.missing.test.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' and ') || 'every genre on both sides';
    return `${LEAK_LABELS[from.mode]} and ${LEAK_LABELS[to.mode]} are not compared: their sides hold different genres (${LEAK_LABELS[from.mode]}: ${lacks(from)}; ${LEAK_LABELS[to.mode]}: ${lacks(to)})`;
  }
  if (intervalsOverlap(from.interval, to.interval)) return `${LEAK_LABELS[from.mode]} and ${LEAK_LABELS[to.mode]} are not told apart by their intervals`;
  if (to.accuracy > from.accuracy) return `${LEAK_LABELS[to.mode]} scored ${points(to.accuracy - from.accuracy)} higher than ${LEAK_LABELS[from.mode]}, which no leak explains`;
  return `${points(from.accuracy - to.accuracy)} of the leaky figure were memory of ${memory}`;
}

/**
 * "by segment 93.0 %, by clip 92.0 %, artist-disjoint (fault-filtered) 66.0 % per segment:
 * segment and clip are not told apart by their intervals; 26 points of the leaky figure were
 * memory of artists." A difference is claimed only where the 95 % intervals do not overlap and
 * both splits train and test the same genres (a split without some genre's test clips scores another task).
 */
export function leakSentence(results: readonly LeakResult[]): string {
  const byMode = new Map(results.map((r) => [r.mode, r]));
  const figures = results.map((r) => `${LEAK_LABELS[r.mode]} ${pct(r.accuracy)}`).join(', ');
  const clauses: string[] = [];
  const segment = byMode.get('segment');
  const clip = byMode.get('clip');
  const artist = byMode.get('filtered') ?? byMode.get('artist');
  if (segment && clip) clauses.push(stepClause(segment, clip, 'the test clips\' own segments'));
  if (clip && artist) clauses.push(stepClause(clip, artist, 'artists'));
  return `${figures} per segment${clauses.length ? `: ${clauses.join('; ')}` : ''}.`;
}
