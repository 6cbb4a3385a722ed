import { describe, expect, it } from 'vitest';
import { scanPaths } from '../../../src/dataset/scan';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { Extraction, type ExtractionProgress } from '../../../src/features/extraction';
import { WorkerPool } from '../../../src/features/pool';
import type { WorkerRequest, WorkerResponse } from '../../../src/features/protocol';
import type { FeatureStore } from '../../../src/storage/feature-store';

/** A worker that answers every clip after `ms` of the fake clock, with one 130 × 13 segment. */
function fakeWorker(clock: { t: number }, ms: number): Worker {
  const w = {
    onmessage: null as ((e: MessageEvent<WorkerResponse>) => void) | null,
    onerror: null,
    postMessage(req: WorkerRequest) {
      setTimeout(() => {
        clock.t += ms;
        const msg: WorkerResponse = { kind: 'clip', id: req.id, ok: true, segments: [new Float32Array(130 * 13)], seconds: 3, encoding: 'wav', engine: 'wasm-simd' };
        w.onmessage?.({ data: msg } as MessageEvent<WorkerResponse>);
      }, 0);
    },
    terminate() {},
  };
  return w as unknown as Worker;
}

const memoryStore = () => ({ get: async () => undefined, put: async () => {}, saveSession: async () => {} }) as unknown as FeatureStore;

function dataset(clips: number) {
  return scanPaths(Array.from({ length: clips }, (_, i) => ({
    path: `genres/${i % 2 ? 'rock' : 'jazz'}/c${i}.wav`,
    item: new File([new Uint8Array(8)], `c${i}.wav`),
  })));
}

describe('Extraction progress', () => {
  it('reports at most once per interval, and always the first and the last state', async () => {
    const clock = { t: 0 };
    const pool = new WorkerPool(2, () => fakeWorker(clock, 20));
    const run = new Extraction(dataset(60), DEFAULT_SETTINGS, { pool, store: memoryStore(), now: () => clock.t, progressIntervalMs: 250 });
    const reports: (ExtractionProgress & { at: number })[] = [];
    run.onProgress = (p) => reports.push({ ...p, at: clock.t });
    const outcome = await run.run();

    expect(outcome.clips).toHaveLength(60);
    expect(outcome.clips.every((c) => c.engine === 'wasm-simd')).toBe(true);
    // 60 clips × 20 ms of fake time = 1.2 s: two forced reports, ~5 timed ones, the final one.
    expect(reports.length).toBeLessThanOrEqual(2 + Math.ceil(1200 / 250) + 1);
    expect(reports[0].done).toBe(0);
    expect(reports.at(-1)!.done).toBe(60);
    const timed = reports.slice(2, -1);
    for (let i = 1; i < timed.length; i++) expect(timed[i].at - timed[i - 1].at).toBeGreaterThanOrEqual(250);
    pool.terminate();
  });

  it('reports every clip when the interval is zero', async () => {
    const clock = { t: 0 };
    const pool = new WorkerPool(1, () => fakeWorker(clock, 20));
    const run = new Extraction(dataset(10), DEFAULT_SETTINGS, { pool, store: memoryStore(), now: () => clock.t, progressIntervalMs: 0 });
    const done: number[] = [];
    run.onProgress = (p) => done.push(p.done);
    await run.run();
    expect(done).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    pool.terminate();
  });
});
