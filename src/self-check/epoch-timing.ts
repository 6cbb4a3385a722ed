import type { TrainingData } from '../dataset/training-data';
import { DEFAULT_SETTINGS } from '../dsp/settings';
import { REFERENCE_MODEL } from '../model/architectures/config';
import { askTrainer } from '../ui/shared/trainer-client';
import type { BackendChoice } from '../model/backend/backend';
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
  await askTrainer({ type: 'trial', data, backend: 'wasm', threads, options: timingOptions(2) }, 'trial-done', never, [
    data.x.buffer,
    data.labels.buffer,
    data.clipOf.buffer,
  ]);
}

export interface RunTiming {
  threads: number;
  trainSegments: number;
  validationSegments: number;
  /** Each epoch's training and validation, seconds. */
  epochs: { train: number; validation: number }[];
  /** The whole run, from the request to the worker's answer. */
  seconds: number;
}

/**
 * A run the size of full GTZAN's fault-filtered split in the lab's best model: the 2-D CNN (16
 * filters) on [130, 64] log-mel, 4 430 training and 400 validation segments of random values
 * (speed does not depend on them), `epochs` epochs, on every core, in the page's training worker,
 * on WASM unless `backend` names another (WebGPU on one thread, on a machine with a GPU).
 */
export async function timeGtzanRun(epochs: number, threads: number, backend: BackendChoice = 'wasm'): Promise<RunTiming> {
  const train = 4430;
  const validation = 400;
  const n = train + validation;
  const data: TrainingData = {
    genres: Array.from({ length: 10 }, (_, g) => `g${g}`),
    clipPaths: Array.from({ length: n }, (_, i) => `g${i % 10}/${i}.wav`),
    frames: 130,
    coefficients: 64,
    x: Float32Array.from({ length: n * 130 * 64 }, (_, i) => Math.sin(i * 0.618)),
    labels: Int32Array.from({ length: n }, (_, i) => i % 10),
    clipOf: Int32Array.from({ length: n }, (_, i) => i),
  };
  const started = performance.now();
  const done = await askTrainer({
    type: 'train', data, features: { ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 64 }, backend, threads,
    options: {
      model: { ...REFERENCE_MODEL, architecture: 'cnn', filters: 16 },
      train: { epochs, batchSize: 32, seed: 1, standardize: false },
      split: { mode: 'clip', seed: 1, testFraction: 0, validationFraction: validation / n },
      skipTest: true,
    },
  }, 'done', never, [data.x.buffer, data.labels.buffer, data.clipOf.buffer]);
  return {
    threads,
    trainSegments: done.metadata.split.trainSegments,
    validationSegments: done.metadata.split.validationSegments,
    epochs: done.history.map((h) => ({ train: h.seconds, validation: h.validationSeconds })),
    seconds: (performance.now() - started) / 1000,
  };
}
