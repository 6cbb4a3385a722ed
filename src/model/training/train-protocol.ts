import type { FeatureSettings } from '../../dsp/settings';
import type { ModelFiles } from '../../saving/artifacts';
import type { BackendChoice } from '../backend/backend';
import type { LayerRow } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import type { TrainingData } from '../../dataset/training-data';
import type { Classification } from '../../evaluation/classify';
import type { Evaluation } from '../../evaluation/evaluate';
import type { Interval } from '../../evaluation/intervals';
import type { ModelMetadata } from '../../saving/metadata';
import type { BatchReport, EpochReport, SessionOptions } from './session';
import type { Divergence } from '../optimizers/epoch-policy';

/** The session's options as they cross into the worker: no functions. */
export type WorkerSessionOptions = Omit<SessionOptions, 'build' | 'helpers'>;

export type TrainRequest =
  /** threads: how many threads train (data-parallel, the fast LSTM on WASM or CPU); 1 when absent. */
  | { type: 'train'; data: TrainingData; options: WorkerSessionOptions; features: FeatureSettings; backend: BackendChoice; threads?: number }
  /** Times a few batches of random data on `threads` threads, so the page can say how long an epoch will take. */
  | { type: 'estimate'; config: ModelConfig; batchSize: number; backend: BackendChoice; runs?: number; fastLstm?: boolean; threads?: number }
  /** A tuning trial: train, judge on validation only, report the best validation accuracy. */
  | { type: 'trial'; data: TrainingData; options: WorkerSessionOptions; backend: BackendChoice; threads?: number }
  | { type: 'classify'; files: ModelFiles; metadata: ModelMetadata; segments: Float32Array[]; backend: BackendChoice }
  /** Loads a model the user chose and runs it once, so a bad one is refused when loaded, not later. */
  | { type: 'check'; files: ModelFiles; metadata: ModelMetadata; backend: BackendChoice }
  | { type: 'stop' }
  /** For tests of fault handling: lose the WebGL context the way a GPU reset would. */
  | { type: 'lose-webgl-context' };

export type TrainEvent =
  | { type: 'backend'; name: string; note: string }
  /** How many threads share each batch (1: this worker alone). */
  | { type: 'threads'; count: number; reason?: string }
  | { type: 'summary'; rows: LayerRow[]; params: number }
  /**
   * At most ten a second (ProgressReporter): the latest batch, every epoch finished since the last
   * message, and, about once a second, the model as it is then, so a reload loses at most a second
   * of training (or the epoch in progress).
   */
  | { type: 'progress'; batch?: BatchReport; epochs: EpochReport[]; checkpoint?: { files: ModelFiles; metadata: ModelMetadata } }
  /** diverged: a loss or weight stopped being finite; the files hold the weights of its keptEpoch, or nothing usable when that is 0. */
  | {
      type: 'done';
      files: ModelFiles;
      metadata: ModelMetadata;
      evaluation: Evaluation;
      history: EpochReport[];
      stopped: boolean;
      diverged?: Divergence;
    }
  | { type: 'estimate'; msPerBatch: number; backend: string; threads: number }
  /** valAccuracy: the kept weights' (with early stopping, the best epoch's), its interval over the validation clips. */
  | {
      type: 'trial-done';
      valAccuracy: number;
      valInterval?: Interval;
      valClips?: number;
      bestEpoch?: number;
      divergedAt?: number;
      epochs: number;
      seconds: number;
      stopped: boolean;
    }
  | { type: 'classified'; result: Classification }
  | { type: 'checked' }
  | { type: 'error'; message: string };
