import { describe, expect, it } from 'vitest';
import type { EpochReport } from '../../../../src/model/training/session';
import { MAX_PLACES, trainingCurves, type BatchPoint } from '../../../../src/ui/training/curve-grid';
import { dense } from '../../../../src/ui/shared/vis';

const epoch = (e: number, valLoss: number, bestEpoch?: number): EpochReport =>
  ({ epoch: e, epochs: 10, loss: 1 / e, accuracy: e / 10, valLoss, valAccuracy: 0.5, bestEpoch }) as EpochReport;
const batchesOf = (epochs: number, per: number): BatchPoint[] =>
  Array.from({ length: epochs * per }, (_, i) => ({ epoch: Math.floor(i / per) + 1, batch: (i % per) + 1, batches: per, loss: i, accuracy: 0 }));

describe('the live curves in epochs', () => {
  it('puts each epoch at x = its epoch and each batch at its fraction of an epoch', () => {
    const { series, xLabel } = trainingCurves(batchesOf(2, 4), [epoch(1, 0.9), epoch(2, 0.8)], 'loss', false);
    expect(series[0].points.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(series[0].fine).toBe(true);
    expect(series[1].points).toEqual([{ x: 1, y: 1 }, { x: 2, y: 0.5 }]);
    expect(series[2].points).toEqual([{ x: 1, y: 0.9 }, { x: 2, y: 0.8 }]);
    expect(xLabel).toBe('epoch (4 batches each)');
  });

  it('groups batches beyond MAX_PLACES, each group its mean at its last batch, the axis still in epochs', () => {
    const { series, xLabel } = trainingCurves(batchesOf(10, 100), Array.from({ length: 10 }, (_, i) => epoch(i + 1, 1)), 'loss', false);
    expect(series[0].points.length).toBeLessThanOrEqual(MAX_PLACES);
    expect(series[0].name).toBe('train (per 9 batches)');
    expect(series[0].points[0]).toEqual({ x: 0.09, y: (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8) / 9 });
    expect(series[0].points[series[0].points.length - 1].x).toBe(10);
    expect(series[1].points[9].x).toBe(10);
    expect(xLabel).toBe('epoch (100 batches each)');
  });

  it('keeps every k-th epoch and the last past MAX_PLACES epochs, as the batches are grouped', () => {
    const epochs = Array.from({ length: 1000 }, (_, i) => epoch(i + 1, 1));
    const { series } = trainingCurves(batchesOf(1000, 1), epochs, 'loss', false);
    for (const s of series) expect(s.points.length).toBeLessThanOrEqual(MAX_PLACES);
    expect(series[1].points[series[1].points.length - 1].x).toBe(1000);
    expect(series[2].points[series[2].points.length - 1].x).toBe(1000);
  });

  it('marks the kept epoch on its epoch, one point, only with early stopping', () => {
    const epochs = [epoch(1, 0.9), epoch(2, 0.7), epoch(3, 0.8, 2)];
    expect(trainingCurves(batchesOf(3, 1), epochs, 'loss', false).series).toHaveLength(3);
    const best = trainingCurves(batchesOf(3, 1), epochs, 'loss', true).series[3];
    expect(best.name).toBe('kept: epoch 2');
    expect(best.marker).toBe(true);
    expect(best.points).toEqual([{ x: 2, y: 0.7 }]);
  });

  it('lays series on one grid: straight between a series\' points, null outside them', () => {
    expect(dense([{ points: [{ x: 1, y: 2 }, { x: 4, y: 5 }, { x: 5, y: Number.NaN }] }, { points: [{ x: 2, y: 5 }] }])).toEqual([
      [{ x: 0, y: null }, { x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 4 }, { x: 4, y: 5 }, { x: 5, y: null }],
      [{ x: 0, y: null }, { x: 1, y: null }, { x: 2, y: 5 }, { x: 3, y: null }, { x: 4, y: null }, { x: 5, y: null }],
    ]);
  });
});
