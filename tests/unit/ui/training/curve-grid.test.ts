import { describe, expect, it } from 'vitest';
import type { EpochReport } from '../../../../src/model/training/session';
import { MAX_BATCH_POINTS, TRAIN_EPOCH, VALIDATION, epochCurves, type BatchPoint } from '../../../../src/ui/training/curve-grid';
import { dense } from '../../../../src/ui/shared/vis';

const epoch = (e: number, valLoss: number, bestEpoch?: number): EpochReport =>
  ({ epoch: e, epochs: 10, loss: 1 / e, accuracy: e / 10, valLoss, valAccuracy: 0.5, bestEpoch }) as EpochReport;
const batchesOf = (epochs: number, per: number): BatchPoint[] =>
  Array.from({ length: epochs * per }, (_, i) => ({ epoch: Math.floor(i / per) + 1, batch: (i % per) + 1, batches: per, loss: i, accuracy: 0 }));

describe('the live curves with epochs on x', () => {
  it('puts each batch at its fraction of its epoch and each epoch at its number', () => {
    const c = epochCurves(batchesOf(2, 4), [epoch(1, 0.9), epoch(2, 0.8)], 'loss', false);
    expect(c.batches.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(c.epochs.filter((p) => p.series === TRAIN_EPOCH)).toEqual([{ x: 1, y: 1, series: TRAIN_EPOCH }, { x: 2, y: 0.5, series: TRAIN_EPOCH }]);
    expect(c.epochs.filter((p) => p.series === VALIDATION).map((p) => [p.x, p.y])).toEqual([[1, 0.9], [2, 0.8]]);
    expect(c.lastEpoch).toBe(2);
  });

  it('averages consecutive batches beyond MAX_BATCH_POINTS, still within their epochs', () => {
    const c = epochCurves(batchesOf(30, 100), Array.from({ length: 30 }, (_, i) => epoch(i + 1, 1)), 'loss', false);
    expect(c.batches.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    const per = Math.ceil(3000 / MAX_BATCH_POINTS);
    expect(c.batches[0].y).toBeCloseTo((per - 1) / 2, 10);
    expect(c.batches[c.batches.length - 1].x).toBeLessThanOrEqual(30);
    expect(c.batches[c.batches.length - 1].x).toBeGreaterThan(29.9);
    expect(c.lastEpoch).toBe(30);
  });

  it('counts the running epoch on the axis before its report comes', () => {
    expect(epochCurves(batchesOf(3, 2).slice(0, 5), [epoch(1, 1), epoch(2, 1)], 'loss', false).lastEpoch).toBe(3);
  });

  it('marks the kept epoch at its epoch only with early stopping', () => {
    const epochs = [epoch(1, 0.9), epoch(2, 0.7), epoch(3, 0.8, 2)];
    expect(epochCurves(batchesOf(3, 1), epochs, 'loss', false).kept).toEqual([]);
    expect(epochCurves(batchesOf(3, 1), epochs, 'loss', true).kept).toEqual([{ x: 2, label: 'kept: epoch 2' }]);
  });

  it('leaves out values that are not numbers (a diverged run\'s NaN loss)', () => {
    const c = epochCurves([{ epoch: 1, batch: 1, batches: 1, loss: Number.NaN, accuracy: 0 }], [epoch(1, Number.NaN)], 'loss', false);
    expect(c.batches).toEqual([]);
    expect(c.epochs.map((p) => p.series)).toEqual([TRAIN_EPOCH]);
  });

  it('lays series on one grid: straight between a series\' points, null outside them', () => {
    expect(dense([{ points: [{ x: 1, y: 2 }, { x: 4, y: 5 }, { x: 5, y: Number.NaN }] }, { points: [{ x: 2, y: 5 }] }])).toEqual([
      [{ x: 0, y: null }, { x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 4 }, { x: 4, y: 5 }, { x: 5, y: null }],
      [{ x: 0, y: null }, { x: 1, y: null }, { x: 2, y: 5 }, { x: 3, y: null }, { x: 4, y: null }, { x: 5, y: null }],
    ]);
  });
});
