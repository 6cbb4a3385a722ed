import type { ModelMetadata } from '../saving/metadata';
import { describeAccuracy, wilson, type Interval } from './intervals';

type Metrics = NonNullable<ModelMetadata['metrics']>;

/**
 * The clip accuracy's interval as kept, or for a model made before intervals were kept, Wilson's
 * from its accuracy and test clips (exact: the clips right are the accuracy times the clips).
 */
export function clipIntervalOf(m: Metrics, testClips: number): Interval {
  if (m.testClipInterval) return { low: m.testClipInterval[0], high: m.testClipInterval[1] };
  const n = m.testClips ?? testClips;
  return wilson(Math.round(m.testClipAccuracy * n), n);
}

/**
 * "27.5 % per segment (95 % interval 12.0–45.0 %, 4 clips), 75.0 % per clip (95 % interval
 * 30.1–95.4 %, 4 clips)": both test accuracies, never without their intervals. The segment
 * interval needs each clip's segments, so a model made before it was kept says so instead.
 */
export function describeTestAccuracy(m: Metrics, testClips: number): string {
  const clips = m.testClips ?? testClips;
  const segment = m.testSegmentInterval
    ? describeAccuracy(m.testSegmentAccuracy, { low: m.testSegmentInterval[0], high: m.testSegmentInterval[1] }, 'segment', clips)
    : `${(100 * m.testSegmentAccuracy).toFixed(1)} % per segment (no interval: made before they were kept)`;
  return `${segment}, ${describeAccuracy(m.testClipAccuracy, clipIntervalOf(m, testClips), 'clip', clips)}${balancedText(m)}`;
}

/** ", balanced 61.3 % (mean per-genre clip accuracy, 95 % interval 48.0–74.2 %)", or nothing for a model made before it was kept. */
export function balancedText(m: Metrics): string {
  if (m.testBalancedClipAccuracy === undefined) return '';
  const interval = m.testBalancedClipInterval
    ? `, 95 % interval ${intervalText({ low: m.testBalancedClipInterval[0], high: m.testBalancedClipInterval[1] })}`
    : '';
  return `, balanced ${(100 * m.testBalancedClipAccuracy).toFixed(1)} % (mean per-genre clip accuracy${interval})`;
}

/** "65.4–86.4 %". */
export function intervalText(i: Interval): string {
  return `${(100 * i.low).toFixed(1)}–${(100 * i.high).toFixed(1)} %`;
}

/**
 * A rank for each accuracy that only counts what its interval tells apart: 1 + the number of
 * others whose interval lies wholly above this one's. Runs whose intervals overlap can share a
 * rank; none is called better than another it overlaps.
 */
export function ranksByInterval(intervals: readonly (Interval | undefined)[]): (number | undefined)[] {
  return intervals.map((i) => (i ? 1 + intervals.filter((o) => o && o.low > i.high).length : undefined));
}
