import { describe, expect, it } from 'vitest';
import { ExplanationRun } from '../../../src/app/explanation-run';
import type { ModelFiles } from '../../../src/saving/artifacts';
import type { ModelMetadata } from '../../../src/saving/metadata';
import type { AskExplainer } from '../../../src/explain/explain-protocol';
import type { OcclusionMap } from '../../../src/explain/occlusion';

const model = { files: {} as ModelFiles, metadata: {} as ModelMetadata };
const map = { timePatches: 2, bandPatches: 3 } as unknown as OcclusionMap;

/** An explain worker whose answers the test gives by hand, one per job, in any order. */
function fakeWorker() {
  const jobs: { signal: AbortSignal; progress: (d: number, t: number) => void; answer: (seconds: number) => void; fail: (e: Error) => void }[] = [];
  const ask = ((_req, _type, signal, onProgress) => new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('aborted')));
    jobs.push({ signal, progress: onProgress ?? (() => undefined), answer: (seconds) => resolve({ type: 'explained', map, seconds } as never), fail: reject });
  })) as AskExplainer;
  return { ask, jobs };
}

describe('an explanation in the explain worker, as a store', () => {
  it('shows the worker\'s progress, then the map, and tells each change', async () => {
    const { ask, jobs } = fakeWorker();
    const run = new ExplanationRun(ask);
    let changes = 0;
    run.subscribe(() => changes++);
    const done = run.start(model, [new Float32Array(4)]);
    expect(run.busy).toBe(true);
    jobs[0].progress(3, 8);
    expect(run.progress).toEqual({ done: 3, total: 8 });
    jobs[0].answer(1.5);
    await done;
    expect([run.busy, run.progress, run.map, run.seconds, run.message]).toEqual([false, undefined, map, 1.5, '']);
    expect(changes).toBe(3);
  });

  it('a second start ends the first, whose late answer and progress change nothing', async () => {
    const { ask, jobs } = fakeWorker();
    const run = new ExplanationRun(ask);
    const first = run.start(model, []);
    const second = run.start(model, []);
    expect(jobs[0].signal.aborted).toBe(true);
    jobs[0].progress(7, 8);
    await first;
    expect(run.busy).toBe(true);
    expect(run.message).toBe('');
    expect(run.progress).toEqual({ done: 0, total: 1 });
    jobs[1].answer(2);
    await second;
    expect(run.seconds).toBe(2);
  });

  it('says when it was cancelled and why it failed', async () => {
    const { ask, jobs } = fakeWorker();
    const run = new ExplanationRun(ask);
    const cancelled = run.start(model, []);
    run.cancel();
    await cancelled;
    expect([run.busy, run.message]).toEqual([false, 'Explanation cancelled.']);
    const failed = run.start(model, []);
    jobs[1].fail(new Error('the model has no weights'));
    await failed;
    expect([run.busy, run.map, run.message]).toEqual([false, undefined, 'Could not explain: the model has no weights']);
  });
});
