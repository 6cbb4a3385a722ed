import { describe, expect, it } from 'vitest';
import type { EpochReport } from '../../../../src/model/training/session';
import { MAX_PLACES, trainingCurves, type BatchPoint } from '../../../../src/ui/training/curve-grid';
import { dense } from '../../../../src/ui/shared/vis';

const epoch = (e: number, valLoss: number, bestEpoch?: number): EpochReport =>
  ({ epoch: e, epochs: 10, loss: 1 / e, accuracy: e / 10, valLoss, valAccuracy: 0.5, bestEpoch }) as EpochReport;
const batchesOf = (epochs: number, per: number): BatchPoint[] =>
  Array.from({ length: epochs * per }, (_, i) => ({ epoch: Math.floor(i / per) + 1, batch: (i % per) + 1, batches: per, loss: i, accuracy: 0 }));

describe('the live curves on tfjs-vis\'s grid', () => {
  it('puts each batch at its place and each epoch at its last batch', () => {
    const { series, xLabel } = trainingCurves(batchesOf(2, 3), [epoch(1, 0.9), epoch(2, 0.8)], 'loss', false);
    expect(series[0].points.map((p) => p.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(series[1].points).toEqual([{ x: 3, y: 1 }, { x: 6, y: 0.5 }]);
    expect(series[2].points).toEqual([{ x: 3, y: 0.9 }, { x: 6, y: 0.8 }]);
    expect(xLabel).toBe('batch (3 an epoch)');
  });

  it('groups batches beyond MAX_PLACES, each group its mean, epochs still at their last batch', () => {
    const { series, xLabel } = trainingCurves(batchesOf(10, 100), Array.from({ length: 10 }, (_, i) => epoch(i + 1, 1)), 'loss', false);
    expect(series[0].points.length).toBeLessThanOrEqual(MAX_PLACES);
    expect(series[0].points[0]).toEqual({ x: 1, y: (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8) / 9 });
    expect(series[1].points[9].x).toBe(Math.floor(999 / 9) + 1);
    expect(xLabel).toBe('batch ÷ 9 (100 batches an epoch)');
  });

  it('marks the kept epoch\'s validation level only with early stopping', () => {
    const epochs = [epoch(1, 0.9), epoch(2, 0.7), epoch(3, 0.8, 2)];
    expect(trainingCurves(batchesOf(3, 1), epochs, 'loss', false).series).toHaveLength(3);
    const best = trainingCurves(batchesOf(3, 1), epochs, 'loss', true).series[3];
    expect(best.name).toBe('best epoch 2 (kept)');
    expect(new Set(best.points.map((p) => p.y))).toEqual(new Set([0.7]));
  });

  it('lays series on one grid: straight between a series\' points, null outside them', () => {
    expect(dense([{ points: [{ x: 1, y: 2 }, { x: 4, y: 5 }, { x: 5, y: Number.NaN }] }, { points: [{ x: 2, y: 5 }] }])).toEqual([
      [{ x: 0, y: null }, { x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 4 }, { x: 4, y: 5 }, { x: 5, y: null }],
      [{ x: 0, y: null }, { x: 1, y: null }, { x: 2, y: 5 }, { x: 3, y: null }, { x: 4, y: null }, { x: 5, y: null }],
    ]);
  });
});
