import { describe, expect, it } from 'vitest';
import type { ModelFiles } from '../../../../src/saving/artifacts';
import type { ModelMetadata } from '../../../../src/saving/metadata';
import { ProgressReporter, type Progress } from '../../../../src/model/training/progress-reporter';
import type { EpochReport } from '../../../../src/model/training/session';

const epoch = (n: number) => ({ epoch: n, epochs: 1000, loss: 1 / n }) as EpochReport;
const batch = (e: number, b: number) => ({ epoch: e, batch: b, batches: 3, loss: 1, accuracy: 0 });
const files = (n: number) => ({ files: { weights: new ArrayBuffer(n) } as unknown as ModelFiles, metadata: {} as ModelMetadata });

describe('progress from the training worker', () => {
  it('a fast run: about one message per 100 ms, every epoch in order, the latest batch, and each message of epochs with the model after its last', async () => {
    let clock = 0;
    const sent: Progress[] = [];
    let made = 0;
    const r = new ProgressReporter((p) => sent.push(p), () => clock);
    // 3 000 epochs of 3 batches in 3 s: a tiny model on a fast backend.
    for (let e = 1; e <= 3000; e++) {
      for (let b = 1; b <= 3; b++) {
        r.onBatch(batch(e, b));
        clock += 0.25;
      }
      await r.onEpoch(epoch(e), async () => {
        made++;
        return files(e);
      });
      clock += 0.25;
    }
    r.flush();
    expect(sent.length).toBeGreaterThanOrEqual(25);
    expect(sent.length).toBeLessThanOrEqual(32);
    expect(sent.flatMap((p) => p.epochs.map((x) => x.epoch))).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    // Checkpoints: after the first epoch, then with every message that carries epochs (but the
    // run's last, which the finished model follows); made only then.
    const withEpochs = sent.filter((p) => p.epochs.length);
    const checkpoints = sent.filter((p) => p.checkpoint);
    expect(checkpoints.length).toBe(withEpochs.length - 1);
    expect(withEpochs.slice(0, -1).every((p) => p.checkpoint)).toBe(true);
    expect(made).toBe(checkpoints.length);
    expect(made).toBeLessThanOrEqual(31);
    expect(checkpoints[0].epochs.at(-1)!.epoch).toBe(1);
    // Each checkpoint is the model after the last epoch of its message: made at that epoch's end.
    for (const p of checkpoints) expect(p.checkpoint!.files.weights.byteLength).toBe(p.epochs.at(-1)!.epoch);
    // The page is never more than 100 ms of training (here 100 epochs) behind with its model.
    const kept = checkpoints.map((p) => p.epochs.at(-1)!.epoch);
    for (let i = 1; i < kept.length; i++) expect(kept[i] - kept[i - 1]).toBeLessThanOrEqual(101);
    expect(sent.at(-1)!.epochs.at(-1)!.epoch).toBe(3000);
    expect(sent.every((p) => !p.batch || p.batch.epoch >= (p.epochs.at(-1)?.epoch ?? 0))).toBe(true);
  });

  it('a slow run: every batch and every epoch at once, and a checkpoint with each epoch', async () => {
    let clock = 0;
    const sent: Progress[] = [];
    const r = new ProgressReporter((p) => sent.push(p), () => clock);
    for (let e = 1; e <= 3; e++) {
      for (let b = 1; b <= 3; b++) {
        clock += 500;
        r.onBatch(batch(e, b));
      }
      await r.onEpoch(epoch(e), async () => files(e));
    }
    expect(sent.filter((p) => p.batch).map((p) => `${p.batch!.epoch}.${p.batch!.batch}`)).toEqual(['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3']);
    expect(sent.filter((p) => p.checkpoint).map((p) => p.epochs.at(-1)!.epoch)).toEqual([1, 2, 3]);
    r.flush();
    expect(sent.filter((p) => p.epochs.length).length).toBe(3);
  });

  it('epochs a little over 100 ms apart: each one arrives at its end with its own checkpoint, and batches still arrive between them', async () => {
    let clock = 0;
    const sent: Progress[] = [];
    const r = new ProgressReporter((p) => sent.push(p), () => clock);
    for (let e = 1; e <= 20; e++) {
      for (let b = 1; b <= 5; b++) {
        clock += 30;
        r.onBatch(batch(e, b));
      }
      clock += 5;
      await r.onEpoch(epoch(e), async () => files(e));
    }
    expect(sent.filter((p) => p.checkpoint).map((p) => p.epochs.map((x) => x.epoch))).toEqual(Array.from({ length: 20 }, (_, i) => [i + 1]));
    expect(sent.filter((p) => p.checkpoint).map((p) => p.checkpoint!.files.weights.byteLength)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a batch reported just before a slow epoch ends does not hold back that epoch or its checkpoint', async () => {
    let clock = 0;
    const sent: Progress[] = [];
    const r = new ProgressReporter((p) => sent.push(p), () => clock);
    for (let e = 1; e <= 3; e++) {
      for (let b = 1; b <= 3; b++) {
        clock += 1000;
        r.onBatch(batch(e, b));
      }
      // Validation takes 20 ms after the last batch, which was sent.
      clock += 20;
      await r.onEpoch(epoch(e), async () => files(e));
      expect(sent.at(-1)!.checkpoint?.files.weights.byteLength).toBe(e);
    }
  });
});
