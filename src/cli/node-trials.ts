/** Tuning trials on Node worker threads, each with its own copy of the data, for bench:tune. */
import { Worker } from 'node:worker_threads';
import type { TrainingData } from '../dataset/training-data';
import type { SessionOptions } from '../model/training/session';
import type { TrialOutcome } from '../model/tuning/tuning-run';

export function nodeTrial(data: TrainingData, options: Omit<SessionOptions, 'helpers' | 'build'>, threads: number, backend = 'wasm'): Promise<TrialOutcome> {
  const module = new URL('./trial-thread.ts', import.meta.url).href;
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { data, options, threads, backend, module } });
  return new Promise<TrialOutcome>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}
