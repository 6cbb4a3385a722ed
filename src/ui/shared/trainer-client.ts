import type { TrainEvent, TrainRequest } from '../../model/training/train-protocol';
import { webWorkerEndpoint } from '../../rpc/endpoint';
import { askWorker, WorkerJob } from '../../rpc/job';

/**
 * One training worker for one job (a run or a speed estimate). A fresh worker per job means a
 * finished or abandoned job frees all its tensors and GPU memory by ending the worker.
 */
export class TrainerClient extends WorkerJob<TrainRequest, TrainEvent> {
  constructor(onEvent: (e: TrainEvent) => void) {
    const worker = new Worker(new URL('../../model/training/train.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    super(webWorkerEndpoint(worker, 'the training worker'), onEvent);
  }
}

/**
 * Sends one request to a fresh training worker and resolves with the first event of `type`; an
 * error event rejects. Aborting `signal` ends the worker at once (a Cancel button).
 */
export function askTrainer<T extends TrainEvent['type']>(
  req: TrainRequest, type: T, signal: AbortSignal, transfer: Transferable[] = [],
): Promise<Extract<TrainEvent, { type: T }>> {
  return askWorker<TrainRequest, TrainEvent, T>((onEvent) => new TrainerClient(onEvent), req, type, signal, { transfer });
}
