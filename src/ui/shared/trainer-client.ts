import { workerFailure } from '../../features/worker-failure';
import type { TrainEvent, TrainRequest } from '../../model/training/train-protocol';

/**
 * One training worker for one job (a run or a speed estimate). A fresh worker per job means a
 * finished or abandoned job frees all its tensors and GPU memory by ending the worker.
 */
export class TrainerClient {
  private worker: Worker;

  constructor(onEvent: (e: TrainEvent) => void) {
    this.worker = new Worker(new URL('../../model/training/train.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    let answered = false;
    this.worker.onmessage = (e: MessageEvent<TrainEvent>) => {
      answered = true;
      onEvent(e.data);
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      onEvent({ type: 'error', message: workerFailure('the training worker', e, answered) });
    };
  }

  send(req: TrainRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(req, transfer);
  }

  dispose(): void {
    this.worker.terminate();
  }
}

/**
 * Sends one request to a fresh training worker and resolves with the first event of `type`; an
 * error event rejects. Aborting `signal` ends the worker at once (a Cancel button).
 */
export function askTrainer<T extends TrainEvent['type']>(
  req: TrainRequest, type: T, signal: AbortSignal, transfer: Transferable[] = [],
): Promise<Extract<TrainEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const client = new TrainerClient((e) => {
      if (e.type === type) {
        done();
        resolve(e as Extract<TrainEvent, { type: T }>);
      } else if (e.type === 'error') {
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
    signal.addEventListener('abort', onAbort, { once: true });
    client.send(req, transfer);
  });
}
