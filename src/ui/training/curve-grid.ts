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

/** Points of the per-batch line at most: vega's cost grows with them, and 420 px show no more. */
export const MAX_PLACES = 120;

/** Pale, so the per-batch line sits under the per-epoch ones without hiding them. */
const BATCH_COLOR = '#b9c3cd';
const BEST_COLOR = '#2a9d8f';

/**
 * The live curves in epochs: each epoch's numbers at x = its epoch, each batch at its fraction of
 * an epoch (epoch 2's 3rd of 4 batches at 1.75; in groups, each group's mean, when a run has more
 * than MAX_PLACES batches; past MAX_PLACES epochs, every k-th epoch), and with early stopping the
 * kept epoch as a marker on its epoch.
 */
export function trainingCurves(batches: readonly BatchPoint[], epochs: readonly EpochReport[], key: 'loss' | 'accuracy', markBest: boolean): { series: LineSeries[]; xLabel: string } {
  const valKey = key === 'loss' ? 'valLoss' : 'valAccuracy';
  const perEpoch = batches[batches.length - 1]?.batches ?? 1;
  const total = Math.max(epochs.length * perEpoch, batches.length ? (batches[batches.length - 1].epoch - 1) * perEpoch + batches[batches.length - 1].batch : 0);
  const per = Math.max(1, Math.ceil(total / MAX_PLACES));
  const groups = new Map<number, { x: number; ys: number[] }>();
  for (const b of batches) {
    const at = Math.floor(((b.epoch - 1) * b.batches + b.batch - 1) / per);
    const g = groups.get(at) ?? { x: 0, ys: [] };
    // A group sits at its last batch's place: the end of that batch, in epochs.
    g.x = b.epoch - 1 + b.batch / b.batches;
    g.ys.push(b[key]);
    groups.set(at, g);
  }
  // Past MAX_PLACES epochs (a tiny model trains thousands), every k-th epoch and the last: vega's cost grows with the points.
  const step = Math.max(1, Math.ceil(epochs.length / MAX_PLACES));
  const shown = epochs.filter((_, i) => (epochs.length - 1 - i) % step === 0);
  const lines: LineSeries[] = [
    { name: per === 1 ? 'train (per batch)' : `train (per ${per} batches)`, color: BATCH_COLOR, fine: true,
      points: [...groups.values()].map((g) => ({ x: g.x, y: g.ys.reduce((a, b) => a + b, 0) / g.ys.length })) },
    { name: 'train (per epoch)', color: '#1d3557', points: shown.map((e) => ({ x: e.epoch, y: e[key] })) },
    { name: 'validation', color: '#e07a00', points: shown.filter((e) => e[valKey] !== null && e[valKey] !== undefined).map((e) => ({ x: e.epoch, y: e[valKey] as number })) },
  ];
  const bestEpoch = epochs[epochs.length - 1]?.bestEpoch;
  const best = markBest ? epochs.find((e) => e.epoch === bestEpoch) : undefined;
  const level = best?.[valKey];
  if (best && level !== null && level !== undefined) {
    lines.push({ name: `kept: epoch ${best.epoch}`, color: BEST_COLOR, marker: true, points: [{ x: best.epoch, y: level }] });
  }
  return { series: lines, xLabel: `epoch (${perEpoch} batch${perEpoch === 1 ? '' : 'es'} each)` };
}
