import type { EpochReport } from '../../model/training/session';

export interface BatchPoint {
  epoch: number;
  /** 1-based batch of the epoch, of `batches`. */
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
}

/** Batch points drawn at most: beyond them consecutive batches are averaged (420 px show no more). */
export const MAX_BATCH_POINTS = 400;

export const TRAIN_EPOCH = 'training (per epoch)';
export const VALIDATION = 'validation';
export const TRAIN_BATCH = 'training (per batch)';

/** The per-epoch lines and the pale per-batch one, in the legend's order, with their colours. */
export const SERIES: readonly { name: string; color: string }[] = [
  { name: TRAIN_EPOCH, color: '#1d3557' },
  { name: VALIDATION, color: '#e07a00' },
  { name: TRAIN_BATCH, color: '#b9c3cd' },
];
export const KEPT_COLOR = '#2a9d8f';

/** One chart's data, x in epochs: epoch e ends at x = e, batch b of B in it sits at e - 1 + b/B. */
export interface EpochCurves {
  batches: { x: number; y: number }[];
  epochs: { x: number; y: number; series: string }[];
  /** The kept (best) epoch when early stopping keeps its weights: at most one. */
  kept: { x: number; label: string }[];
  /** The x axis runs 0…lastEpoch with a tick at every epoch 1…lastEpoch. */
  lastEpoch: number;
}

const finite = (p: { y: number | null | undefined }): p is { y: number } => typeof p.y === 'number' && Number.isFinite(p.y);

/**
 * The live curves of one measure (loss or accuracy) with epochs on x: training and validation
 * per epoch, the batches as a finer line within them (groups of consecutive batches averaged past
 * MAX_BATCH_POINTS), and the kept epoch when `markBest`.
 */
export function epochCurves(batches: readonly BatchPoint[], epochs: readonly EpochReport[], key: 'loss' | 'accuracy', markBest: boolean): EpochCurves {
  const valKey = key === 'loss' ? 'valLoss' : 'valAccuracy';
  const per = Math.max(1, Math.ceil(batches.length / MAX_BATCH_POINTS));
  const batchLine: { x: number; y: number }[] = [];
  for (let i = 0; i < batches.length; i += per) {
    const group = batches.slice(i, i + per).map((b) => ({ x: b.epoch - 1 + b.batch / b.batches, y: b[key] })).filter(finite);
    if (!group.length) continue;
    batchLine.push({ x: group.reduce((s, p) => s + p.x, 0) / group.length, y: group.reduce((s, p) => s + p.y, 0) / group.length });
  }
  const epochLines = [
    ...epochs.map((e) => ({ x: e.epoch, y: e[key], series: TRAIN_EPOCH })),
    ...epochs.map((e) => ({ x: e.epoch, y: e[valKey] as number, series: VALIDATION })),
  ].filter(finite);
  const bestEpoch = epochs[epochs.length - 1]?.bestEpoch;
  const kept = markBest && bestEpoch !== undefined && epochs.some((e) => e.epoch === bestEpoch)
    ? [{ x: bestEpoch, label: `kept: epoch ${bestEpoch}` }] : [];
  const lastBatch = batches[batches.length - 1];
  const lastEpoch = Math.max(1, epochs[epochs.length - 1]?.epoch ?? 0, lastBatch ? lastBatch.epoch : 0);
  return { batches: batchLine, epochs: epochLines, kept, lastEpoch };
}
