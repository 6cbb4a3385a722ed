import type { Endpoint } from './endpoint';

/** Every protocol's events carry a type, and failures come as `{ type: 'error', message }`. */
export type Typed = { type: string };
type ErrorEvent = { type: 'error'; message: string };

/**
 * One worker for one job, spoken to by typed requests and answered by typed events (training,
 * explanations). A fresh worker per job means a finished or abandoned job frees all its memory,
 * tensors and GPU buffers included, by ending the worker; its failure arrives as an error event.
 */
export class WorkerJob<Req, Ev extends Typed> {
  constructor(private readonly endpoint: Endpoint, onEvent: (e: Ev) => void) {
    endpoint.listen((data) => onEvent(data as Ev), (message) => onEvent({ type: 'error', message } satisfies ErrorEvent as unknown as Ev));
  }

  send(req: Req, transfer: Transferable[] = []): void {
    this.endpoint.post(req, transfer);
  }

  dispose(): void {
    this.endpoint.end();
  }
}

/**
 * Sends one request to a fresh worker (`start` makes it) and resolves with the first event of
 * `type`; other events go to `onEvent` (progress), an error event rejects with its message, and
 * aborting `signal` ends the worker at once (a Cancel button) and rejects with an AbortError.
 */
export function askWorker<Req, Ev extends Typed, T extends Ev['type']>(
  start: (onEvent: (e: Ev) => void) => WorkerJob<Req, Ev>, req: Req, type: T, signal: AbortSignal,
  options: { transfer?: Transferable[]; onEvent?: (e: Ev) => void } = {},
): Promise<Extract<Ev, { type: T }>> {
  return new Promise((resolve, reject) => {
    const job = start((e) => {
      if (e.type === type) {
        done();
        resolve(e as Extract<Ev, { type: T }>);
      } else if (e.type === 'error') {
        done();
        reject(new Error((e as unknown as ErrorEvent).message));
      } else options.onEvent?.(e);
    });
    const onAbort = () => {
      done();
      reject(new DOMException('cancelled', 'AbortError'));
    };
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      job.dispose();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    job.send(req, options.transfer);
  });
}
