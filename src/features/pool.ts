import { webWorkerEndpoint } from '../rpc/endpoint';
import { RequestPool } from '../rpc/request-pool';
import { failedResponse, type WorkerRequest, type WorkerResponse } from './protocol';

/**
 * The page's extraction workers, fed from one queue (src/rpc/request-pool.ts). Each worker holds
 * at most two jobs, so the next file is already being read while the current one is computed; a
 * crashed worker fails its own jobs and the other workers carry on.
 */
export class WorkerPool extends RequestPool<WorkerRequest, WorkerResponse> {
  readonly size: number;

  constructor(size: number, makeWorker: () => Worker) {
    const n = Math.max(1, Math.floor(size));
    super(Array.from({ length: n }, () => webWorkerEndpoint(makeWorker(), 'the extraction worker')), failedResponse);
    this.size = n;
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
