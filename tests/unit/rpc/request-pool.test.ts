import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { nodeWorkerEndpoint, webWorkerEndpoint, type Endpoint } from '../../../src/rpc/endpoint';
import { RequestPool } from '../../../src/rpc/request-pool';
import { serveRequests } from '../../../src/rpc/serve';

type Req = { id: number; n: number };
type Res = { id: number; ok: boolean; value?: number; error?: string };

/** A worker in this thread: answers each request later, through serveRequests; `fail` makes it fail as a worker. */
function fakeWorker(name: string, log: string[]) {
  let onMessage: (data: unknown) => void = () => undefined;
  let onFailure: (message: string, ended: boolean) => void = () => undefined;
  let inFlight = 0;
  let most = 0;
  const serve = serveRequests<Req, Res>({ postMessage: (m) => setTimeout(() => { inFlight--; onMessage(m); }, 1) }, (r) => {
    if (r.n < 0) throw new Error(`no square root of ${r.n}`);
    return { msg: { id: r.id, ok: true, value: r.n * r.n }, transfer: [] };
  }, (r, error) => ({ id: r.id, ok: false, error }));
  const endpoint: Endpoint = {
    post(message) {
      inFlight++;
      most = Math.max(most, inFlight);
      log.push(`${name}:${(message as Req).id}`);
      serve(message as Req);
    },
    listen(m, f) {
      onMessage = m;
      onFailure = f;
    },
    end: async () => undefined,
  };
  return { endpoint, most: () => most, fail: (ended: boolean) => onFailure(`${name} failed: out of memory`, ended) };
}

const failed = (r: Req, error: string): Res => ({ id: r.id, ok: false, error });

describe('a pool of workers answering requests by id', () => {
  it('answers every request, keeps at most two in flight per worker, and answers a throw as that request\'s failure', async () => {
    const log: string[] = [];
    const a = fakeWorker('a', log);
    const b = fakeWorker('b', log);
    const pool = new RequestPool<Req, Res>([a.endpoint, b.endpoint], failed);
    const answers = await Promise.all([3, -1, 4, 5, 6, 7].map((n, id) => pool.run({ id, n })));
    expect(answers).toEqual([
      { id: 0, ok: true, value: 9 }, { id: 1, ok: false, error: 'no square root of -1' }, { id: 2, ok: true, value: 16 },
      { id: 3, ok: true, value: 25 }, { id: 4, ok: true, value: 36 }, { id: 5, ok: true, value: 49 },
    ]);
    expect(a.most()).toBe(2);
    expect(b.most()).toBe(2);
    expect(log.filter((l) => l.startsWith('b:')).length).toBeGreaterThan(0);
  });

  it('a failed worker fails its own jobs; one that is gone takes no more, and with none left every request fails at once', async () => {
    const log: string[] = [];
    const a = fakeWorker('a', log);
    const stuck: Endpoint = { post: (m) => log.push(`stuck:${(m as Req).id}`), listen: (_, f) => { stuckFail = f; }, end: async () => undefined };
    let stuckFail: (message: string, ended: boolean) => void = () => undefined;
    const pool = new RequestPool<Req, Res>([stuck, a.endpoint], failed);
    const first = [0, 1].map((id) => pool.run({ id, n: id }));
    stuckFail('the stuck worker failed: gone', true);
    expect(await Promise.all(first)).toEqual([0, 1].map((id) => ({ id, ok: false, error: 'the stuck worker failed: gone' })));
    const later = await Promise.all([2, 3, 4].map((id) => pool.run({ id, n: id })));
    expect(later.every((r) => r.ok)).toBe(true);
    expect(log.filter((l) => l.startsWith('stuck:'))).toEqual(['stuck:0', 'stuck:1']);

    const lone: Endpoint = { post: () => undefined, listen: (_, f) => { loneFail = f; }, end: async () => undefined };
    let loneFail: (message: string, ended: boolean) => void = () => undefined;
    const single = new RequestPool<Req, Res>([lone], failed, 1);
    const all = [0, 1, 2].map((id) => single.run({ id, n: id }));
    loneFail('the lone worker failed: gone', true);
    expect((await Promise.all(all)).map((r) => r.error)).toEqual(Array(3).fill('the lone worker failed: gone'));
    // A request made after the last worker went is answered with its reason, not left waiting.
    expect(await single.run({ id: 3, n: 3 })).toEqual({ id: 3, ok: false, error: 'the lone worker failed: gone' });
  });

  it('a Node thread that throws reaches the pool as a sentence naming it, and ends', async () => {
    const thread = new Worker('require("node:worker_threads").parentPort.on("message", () => { throw new Error("boom"); });', { eval: true });
    const pool = new RequestPool<Req, Res>([nodeWorkerEndpoint(thread, 'the test thread')], failed);
    expect(await pool.run({ id: 7, n: 1 })).toEqual({ id: 7, ok: false, error: 'the test thread failed: boom' });
    await pool.terminate();
    await expect(pool.run({ id: 8, n: 1 })).rejects.toThrow(/stopped/);
  });

  it('a Web Worker whose script did not load takes no more jobs; one that threw and lives on takes the next', async () => {
    /** A Web Worker as the endpoint sees it: `fire` raises its error event, as the browser would. */
    const webWorker = () => {
      const w = { posted: [] as Req[], onmessage: null as unknown, onerror: null as unknown, terminate: () => undefined };
      const worker = Object.assign(w, { postMessage: (m: Req) => w.posted.push(m) });
      const fire = (message: string) => (w.onerror as (e: Partial<ErrorEvent>) => void)({ message, preventDefault: () => undefined });
      return { worker, fire };
    };
    const dead = webWorker();
    const pool = new RequestPool<Req, Res>([webWorkerEndpoint(dead.worker as unknown as Parameters<typeof webWorkerEndpoint>[0], 'the test worker')], failed);
    const first = pool.run({ id: 1, n: 1 });
    dead.fire('');
    expect((await first).error).toMatch(/^the test worker could not start: its script did not load/);
    expect((await pool.run({ id: 2, n: 2 })).error).toMatch(/could not start/);
    expect(dead.worker.posted.map((r) => r.id)).toEqual([1]);

    const alive = webWorker();
    const lives = new RequestPool<Req, Res>([webWorkerEndpoint(alive.worker as unknown as Parameters<typeof webWorkerEndpoint>[0], 'the test worker')], failed);
    const thrown = lives.run({ id: 1, n: 1 });
    alive.fire('boom');
    expect((await thrown).error).toBe('the test worker failed: boom');
    void lives.run({ id: 2, n: 2 });
    expect(alive.worker.posted.map((r) => r.id)).toEqual([1, 2]);
  });
});
