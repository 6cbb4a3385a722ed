import { DEFAULT_SETTINGS } from '../dsp/settings';
import { askTrainer } from '../ui/shared/trainer-client';
import { timingData, timingOptions } from './timing-data';

export interface EpochTiming {
  threads: number;
  /** The second epoch's training and validation, as the worker reported them (the first warms up). */
  trainSeconds: number;
  validationSeconds: number;
}

const never = new AbortController().signal;

/** Two epochs of the recipe on timingData in the page's own training worker, WASM, on `threads` threads. */
export async function timeEpoch(threads: number): Promise<EpochTiming> {
  const data = timingData();
  const done = await askTrainer({
    type: 'train', data, features: DEFAULT_SETTINGS, backend: 'wasm', threads, options: { ...timingOptions(2), skipTest: true },
  }, 'done', never, [data.x.buffer, data.labels.buffer, data.clipOf.buffer]);
  const last = done.history[done.history.length - 1];
  return { threads, trainSeconds: last.seconds, validationSeconds: last.validationSeconds };
}

/** One tuning trial of the recipe, 2 epochs on timingData, in the page's own training worker on WASM, its batches shared between `threads` threads. */
export async function timeTrial(threads: number): Promise<void> {
  const data = timingData();
  await askTrainer({ type: 'trial', data, backend: 'wasm', threads, options: timingOptions(2) }, 'trial-done', never, [data.x.buffer, data.labels.buffer, data.clipOf.buffer]);
}
