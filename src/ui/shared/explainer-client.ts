import { workerFailure } from '../../features/worker-failure';
import type { ExplainEvent, ExplainRequest } from '../../model/explain/explain-protocol';

/** One explain worker: a fresh one per job, so ending the job (Cancel, Stop) frees its model by ending the worker. */
export class ExplainerClient {
  private readonly worker: Worker;

  constructor(onEvent: (e: ExplainEvent) => void) {
    this.worker = new Worker(new URL('../../model/explain/explain.worker.ts', import.meta.url), { type: 'module', name: 'explainer' });
    let answered = false;
    this.worker.onmessage = (e: MessageEvent<ExplainEvent>) => {
      answered = true;
      onEvent(e.data);
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      onEvent({ type: 'error', message: workerFailure('the explain worker', e, answered) });
    };
  }

  send(req: ExplainRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(req, transfer);
  }

  dispose(): void {
    this.worker.terminate();
  }
}

/**
 * Sends one job to a fresh worker, reports its progress, and resolves with the first event of
 * `type`; an error rejects; aborting `signal` ends the worker at once.
 */
export function askExplainer<T extends ExplainEvent['type']>(
  req: ExplainRequest, type: T, signal: AbortSignal, onProgress: (done: number, total: number) => void = () => undefined,
): Promise<Extract<ExplainEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const client = new ExplainerClient((e) => {
      if (e.type === type) {
        done();
        resolve(e as Extract<ExplainEvent, { type: T }>);
      } else if (e.type === 'progress') onProgress(e.done, e.total);
      else if (e.type === 'error') {
        done();
        reject(new Error(e.message));
      }
    });
    const onAbort = () => {
      done();
      reject(new DOMException('cancelled', 'AbortError'));
    };
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      client.dispose();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    client.send(req);
  });
}
