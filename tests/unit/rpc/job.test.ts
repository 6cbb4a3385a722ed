import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../src/rpc/endpoint';
import { askWorker, WorkerJob } from '../../../src/rpc/job';

type Req = { type: 'go'; steps: number };
type Ev = { type: 'progress'; done: number } | { type: 'done'; total: number } | { type: 'error'; message: string };

/** A worker that reports each step, then its total; or fails as a worker when `crash` is set. */
function fakeJob(state: { ended: number; sent: number }, crash?: string) {
  return (onEvent: (e: Ev) => void) => {
    let emit: (data: unknown) => void = () => undefined;
    let fail: (message: string, ended: boolean) => void = () => undefined;
    const endpoint: Endpoint = {
      post(message) {
        state.sent++;
        const { steps } = message as Req;
        setTimeout(() => {
          if (crash) return fail(crash, false);
          for (let i = 1; i <= steps; i++) emit({ type: 'progress', done: i });
          emit({ type: 'done', total: steps });
        }, 1);
      },
      listen(m, f) {
        emit = m;
        fail = f;
      },
      end: async () => {
        state.ended++;
      },
    };
    return new WorkerJob<Req, Ev>(endpoint, onEvent);
  };
}

describe('one worker for one job', () => {
  it('resolves with the first event of the type asked for, passes the others on, and ends the worker', async () => {
    const state = { ended: 0, sent: 0 };
    const seen: number[] = [];
    const done = await askWorker<Req, Ev, 'done'>(fakeJob(state), { type: 'go', steps: 3 }, 'done', new AbortController().signal, {
      onEvent: (e) => e.type === 'progress' && seen.push(e.done),
    });
    expect(done).toEqual({ type: 'done', total: 3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(state.ended).toBe(1);
  });

  it('rejects with the worker\'s failure as a message, and with an AbortError when cancelled (the worker ended at once)', async () => {
    const state = { ended: 0, sent: 0 };
    await expect(askWorker<Req, Ev, 'done'>(fakeJob(state, 'the test worker failed: out of memory'), { type: 'go', steps: 1 }, 'done', new AbortController().signal))
      .rejects.toThrow('the test worker failed: out of memory');
    expect(state.ended).toBe(1);
    const abort = new AbortController();
    const asked = askWorker<Req, Ev, 'done'>(fakeJob(state), { type: 'go', steps: 1 }, 'done', abort.signal);
    abort.abort();
    await expect(asked).rejects.toMatchObject({ name: 'AbortError' });
    expect(state.ended).toBe(2);
    const sent = state.sent;
    await expect(askWorker<Req, Ev, 'done'>(fakeJob(state), { type: 'go', steps: 1 }, 'done', abort.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(state.sent).toBe(sent);
  });
});
