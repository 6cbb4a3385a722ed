import type { EpochReport } from '../../model/training/session';
import type { LineSeries } from '../shared/vis-line-chart';

export interface BatchPoint {
  epoch: number;
  /** 1-based batch of the epoch, of `batches`. */
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
}

/** Places along the x axis at most: vega's cost grows with them, and 420 px show no more. */
export const MAX_PLACES = 120;

/** Pale, so the per-batch line sits under the per-epoch ones without hiding them. */
const BATCH_COLOR = '#b9c3cd';
const BEST_COLOR = '#2a9d8f';

/**
 * The live curves on tfjs-vis's grid of whole x: x counts batches (in groups of `per` when a run
 * has more than MAX_PLACES, each group's mean), each epoch's numbers at its last batch, and the
 * best epoch's validation value as a level line when early stopping keeps its weights.
 */
export function trainingCurves(batches: readonly BatchPoint[], epochs: readonly EpochReport[], key: 'loss' | 'accuracy', markBest: boolean): { series: LineSeries[]; xLabel: string } {
  const valKey = key === 'loss' ? 'valLoss' : 'valAccuracy';
  const perEpoch = batches[batches.length - 1]?.batches ?? 1;
  const total = Math.max(epochs.length * perEpoch, batches.length ? (batches[batches.length - 1].epoch - 1) * perEpoch + batches[batches.length - 1].batch : 0);
  const per = Math.max(1, Math.ceil(total / MAX_PLACES));
  const place = (globalBatch: number) => Math.floor((globalBatch - 1) / per) + 1;
  const groups = new Map<number, number[]>();
  for (const b of batches) {
    const at = place((b.epoch - 1) * b.batches + b.batch);
    groups.set(at, [...(groups.get(at) ?? []), b[key]]);
  }
  const epochPlace = (e: EpochReport) => place(e.epoch * perEpoch);
  const lines: LineSeries[] = [
    { name: per === 1 ? 'train (per batch)' : `train (per ${per} batches)`, color: BATCH_COLOR, points: [...groups].map(([x, ys]) => ({ x, y: ys.reduce((a, b) => a + b, 0) / ys.length })) },
    { name: 'train (per epoch)', color: '#1d3557', points: epochs.map((e) => ({ x: epochPlace(e), y: e[key] })) },
    { name: 'validation', color: '#e07a00', points: epochs.filter((e) => e[valKey] !== null && e[valKey] !== undefined).map((e) => ({ x: epochPlace(e), y: e[valKey] as number })) },
  ];
  const bestEpoch = epochs[epochs.length - 1]?.bestEpoch;
  const best = markBest ? epochs.find((e) => e.epoch === bestEpoch) : undefined;
  const level = best?.[valKey];
  if (best && level !== null && level !== undefined) {
    const last = epochPlace(epochs[epochs.length - 1]);
    lines.push({ name: `best epoch ${best.epoch} (kept)`, color: BEST_COLOR, points: Array.from({ length: last }, (_, i) => ({ x: i + 1, y: level })) });
  }
  return { series: lines, xLabel: per === 1 ? `batch (${perEpoch} an epoch)` : `batch ÷ ${per} (${perEpoch} batches an epoch)` };
}
