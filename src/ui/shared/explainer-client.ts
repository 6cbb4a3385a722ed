import type { ExplainEvent, ExplainRequest } from '../../explain/explain-protocol';
import { webWorkerEndpoint } from '../../rpc/endpoint';
import { askWorker, WorkerJob } from '../../rpc/job';

/** One explain worker: a fresh one per job, so ending the job (Cancel, Stop) frees its model by ending the worker. */
export class ExplainerClient extends WorkerJob<ExplainRequest, ExplainEvent> {
  constructor(onEvent: (e: ExplainEvent) => void) {
    const worker = new Worker(new URL('../../explain/explain.worker.ts', import.meta.url), { type: 'module', name: 'explainer' });
    super(webWorkerEndpoint(worker, 'the explain worker'), onEvent);
  }
}

/**
 * Sends one job to a fresh worker, reports its progress, and resolves with the first event of
 * `type`; an error rejects; aborting `signal` ends the worker at once.
 */
export function askExplainer<T extends ExplainEvent['type']>(
  req: ExplainRequest, type: T, signal: AbortSignal, onProgress: (done: number, total: number) => void = () => undefined,
): Promise<Extract<ExplainEvent, { type: T }>> {
  return askWorker<ExplainRequest, ExplainEvent, T>((onEvent) => new ExplainerClient(onEvent), req, type, signal, {
    onEvent: (e) => {
      if (e.type === 'progress') onProgress(e.done, e.total);
    },
  });
}
