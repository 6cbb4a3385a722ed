import type { TrainEvent, TrainRequest } from '../model/train-protocol';

/**
 * One training worker for one job (a run or a speed estimate). A fresh worker per job means a
 * finished or abandoned job frees all its tensors and GPU memory by ending the worker.
 */
export class TrainerClient {
  private worker: Worker;

  constructor(onEvent: (e: TrainEvent) => void) {
    this.worker = new Worker(new URL('../model/train.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    this.worker.onmessage = (e: MessageEvent<TrainEvent>) => onEvent(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      onEvent({ type: 'error', message: `the training worker failed: ${e.message || 'unknown error'}` });
    };
  }

  send(req: TrainRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(req, transfer);
  }

  dispose(): void {
    this.worker.terminate();
  }
}
