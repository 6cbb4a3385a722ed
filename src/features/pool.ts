import type { WorkerRequest, WorkerResponse } from './protocol';
import { workerFailure } from './worker-failure';

type Job = { request: WorkerRequest; transfer: Transferable[]; resolve: (r: WorkerResponse) => void };

/**
 * A fixed pool of module workers fed from one queue. Each worker holds at most two jobs, so the
 * next file is already being read while the current one is computed.
 */
export class WorkerPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly inFlight = new Map<Worker, Map<number, Job>>();
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(size: number, makeWorker: () => Worker) {
    this.size = Math.max(1, Math.floor(size));
    for (let i = 0; i < this.size; i++) {
      const w = makeWorker();
      this.inFlight.set(w, new Map());
      let answered = false;
      w.onmessage = (e: MessageEvent<WorkerResponse>) => {
        answered = true;
        this.settle(w, e.data.id, e.data);
      };
      w.onerror = (e: ErrorEvent) => {
        // A crashed worker fails its own jobs; the other workers carry on.
        e.preventDefault();
        const error = workerFailure('the extraction worker', e, answered);
        for (const [id, job] of this.inFlight.get(w)!) job.resolve({ kind: 'clip', id, ok: false, error });
        this.inFlight.get(w)!.clear();
      };
      this.workers.push(w);
    }
  }

  run(request: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerResponse> {
    if (this.closed) return Promise.reject(new Error('the worker pool was stopped'));
    return new Promise((resolve) => {
      this.queue.push({ request, transfer, resolve });
      this.pump();
    });
  }

  /** Stops every worker at once; jobs not finished never resolve. */
  terminate(): void {
    this.closed = true;
    for (const w of this.workers) w.terminate();
    this.queue.length = 0;
    this.inFlight.clear();
  }

  private settle(w: Worker, id: number, msg: WorkerResponse): void {
    const jobs = this.inFlight.get(w);
    const job = jobs?.get(id);
    if (!jobs || !job) return;
    jobs.delete(id);
    job.resolve(msg);
    this.pump();
  }

  private pump(): void {
    for (const w of this.workers) {
      const jobs = this.inFlight.get(w)!;
      while (jobs.size < 2 && this.queue.length > 0) {
        const job = this.queue.shift()!;
        jobs.set(job.request.id, job);
        w.postMessage(job.request, job.transfer);
      }
    }
  }
}

/**
 * Cores to use: every logical core the browser reports, at least one. `?workers=N` in the URL can
 * lower it (benchmarks compare pool sizes) but never raise it past the cores: a link asking for
 * 3 000 workers would otherwise start 3 000 and crash the tab.
 */
export function poolSize(cores: number, requested: string | null): number {
  const max = Math.max(1, Math.floor(cores) || 1);
  const n = Number(requested);
  return requested !== null && Number.isInteger(n) && n > 0 ? Math.min(n, max) : max;
}

export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return poolSize(cores, typeof location !== 'undefined' ? new URLSearchParams(location.search).get('workers') : null);
}

export function createExtractionPool(size = defaultPoolSize()): WorkerPool {
  return new WorkerPool(size, () => new Worker(new URL('./extract.worker.ts', import.meta.url), { type: 'module', name: 'mfcc' }));
}

/** One job on a one-worker pool of its own, ended at once when `signal` aborts (a Cancel button). */
export async function runAlone(request: WorkerRequest, transfer: Transferable[], signal: AbortSignal): Promise<WorkerResponse> {
  const pool = createExtractionPool(1);
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new DOMException('cancelled', 'AbortError'));
    if (signal.aborted) fail();
    signal.addEventListener('abort', fail, { once: true });
  });
  try {
    return await Promise.race([pool.run(request, transfer), aborted]);
  } finally {
    pool.terminate();
  }
}
