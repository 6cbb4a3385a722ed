/** Training sessions on Node worker threads, each with its own copy of the data: tuning trials (bench:tune) and the leak report's splits. */
import { Worker } from 'node:worker_threads';
import type { TrainingData } from '../dataset/training-data';
import type { Evaluation } from '../evaluation/evaluate';
import type { SessionOptions } from '../model/training/session';
import type { TrialOutcome } from '../tuning/tuning-run';

export interface SideBySideOutcome extends TrialOutcome {
  /** With `test`: the test split's evaluation, the epoch whose weights it judged, the epochs run. */
  evaluation?: Evaluation;
  bestEpoch?: number;
  epochs?: number;
  message?: string;
}

export function nodeTrial(
  data: TrainingData,
  options: Omit<SessionOptions, 'helpers' | 'build'>,
  threads: number,
  backend = 'wasm',
  test = false,
): Promise<SideBySideOutcome> {
  const module = new URL('./trial-thread.ts', import.meta.url).href;
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
    workerData: { data, options, threads, backend, module, test },
  });
  return new Promise<SideBySideOutcome>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}
