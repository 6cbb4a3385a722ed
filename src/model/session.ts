import * as tf from '@tensorflow/tfjs';
import { Augmenter, augmentOn } from './augment';
import { batchTensors, batchValues, layersPredictor, predictProbabilities, type Predictor } from './batches';
import { buildModel, usesLstm } from './build';
import type { ModelConfig, TrainConfig } from './config';
import type { TrainingData } from './dataset';
import { evaluatePredictions, type Evaluation } from './evaluate';
import { FastTrainer } from './fast-lstm/fast-trainer';
import { DataParallelTrainer, type GradientWorker } from './parallel/data-parallel';
import { seededRandom, shuffleInPlace } from './random';
import { splitData, splitProblem, type Split, type SplitOptions } from './split';
import { applyStandardization, fitStandardization, type Standardization } from './standardize';

export interface BatchReport {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
  samplesPerSecond: number;
  /** tf.memory() after the epoch: must not grow from one epoch to the next. */
  numTensors: number;
  numBytes: number;
}

export interface SessionHooks {
  onBatch?(r: BatchReport): void | Promise<void>;
  onEpoch?(r: EpochReport, model: tf.LayersModel, state: SessionState): void | Promise<void>;
  /** Checked between batches: training ends cleanly after the current batch. */
  shouldStop?(): boolean;
  /** Called between batches so a page or worker can handle messages. */
  yieldBetweenBatches?(): Promise<void>;
}

export interface SessionOptions {
  model: Omit<ModelConfig, 'frames' | 'coefficients' | 'classes'>;
  train: TrainConfig;
  split: SplitOptions;
  /** Builds the model; the default is the reference recipe with tf.layers.lstm. */
  build?: (c: ModelConfig) => tf.LayersModel;
  /** Tuning trials leave the test split alone: they are judged on validation only. */
  skipTest?: boolean;
  /** Train through the fused LSTM (default); false trains with tf.layers.lstm's own graph. */
  fastLstm?: boolean;
  /**
   * Helper threads for data-parallel training of the fast LSTM, made once the model's shape is
   * known: each batch is shared between this thread and them (DataParallelTrainer).
   */
  helpers?: (config: ModelConfig) => GradientWorker[];
}

/** What a model depends on besides its weights: how the data was split and scaled. */
export interface SessionState {
  split: Split;
  standardization: Standardization | null;
  epochsCompleted: number;
}

export interface SessionResult {
  model: tf.LayersModel;
  split: Split;
  standardization: Standardization | null;
  history: EpochReport[];
  epochsCompleted: number;
  stopped: boolean;
  evaluation: Evaluation;
}

/** Prepares the split and (optionally) standardised copy of the features. */
export function prepare(data: TrainingData, train: TrainConfig, split: SplitOptions): { split: Split; x: Float32Array; standardization: Standardization | null } {
  const s = splitData(data, split);
  const problem = splitProblem(data, s);
  if (problem) throw new Error(problem);
  if (!train.standardize) return { split: s, x: data.x, standardization: null };
  const standardization = fitStandardization(data.x, s.train, data.frames, data.coefficients);
  const x = data.x.slice();
  applyStandardization(x, standardization, data.coefficients);
  return { split: s, x, standardization };
}

async function scoreSplit(predict: Predictor, data: TrainingData, x: Float32Array, indices: number[]): Promise<Evaluation | null> {
  if (indices.length === 0) return null;
  return evaluatePredictions(data, indices, await predictProbabilities(predict, data, x, indices));
}

/**
 * One training run, the same in the page's worker and in `npm run train`: split, standardise,
 * build, train batch by batch with a seeded order, validate each epoch, evaluate on test.
 */
export async function runSession(data: TrainingData, o: SessionOptions, hooks: SessionHooks = {}): Promise<SessionResult> {
  const { split, x, standardization } = prepare(data, o.train, o.split);
  const config: ModelConfig = { ...o.model, frames: data.frames, coefficients: data.coefficients, classes: data.genres.length };
  const model = (o.build ?? buildModel)(config);
  const fast = o.fastLstm === false || !usesLstm(config) ? undefined : new FastTrainer(model, config.learningRate);
  const predict: Predictor = fast ? (xs) => fast.predict(xs) : layersPredictor(model);
  const augmenter = augmentOn(o.train.augment) ? new Augmenter(data, o.train.augment, split.train, o.train.seed + 2) : undefined;
  const helpers = fast && o.helpers ? o.helpers(config) : [];
  const parallel = fast && helpers.length > 0 ? new DataParallelTrainer(fast, helpers) : undefined;
  const trainBatch = async (idx: number[]): Promise<[number, number]> => {
    if (parallel) {
      const { values, labels } = batchValues(data, x, idx, augmenter);
      return parallel.step(values, labels, idx.length, data.frames, data.coefficients);
    }
    const { xs, ys } = batchTensors(data, x, idx, augmenter);
    try {
      if (fast) return await fast.step(xs, ys);
      const out = await model.trainOnBatch(xs, ys);
      return Array.isArray(out) ? [out[0], out[1]] : [out, NaN];
    } finally {
      tf.dispose([xs, ys]);
    }
  };
  const random = seededRandom(o.train.seed + 1);
  const history: EpochReport[] = [];
  const batchSize = o.train.batchSize;
  let stopped = false;
  // Helper threads end with the run, however it ends.
  try {
    for (let epoch = 1; epoch <= o.train.epochs && !stopped; epoch++) {
      const started = performance.now();
      const order = shuffleInPlace([...split.train], random);
      const batches = Math.ceil(order.length / batchSize);
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const idx = order.slice(b * batchSize, (b + 1) * batchSize);
        const [loss, accuracy] = await trainBatch(idx);
        lossSum += loss * idx.length;
        accSum += accuracy * idx.length;
        seen += idx.length;
        await hooks.onBatch?.({ epoch, batch: b + 1, batches, loss, accuracy });
        await hooks.yieldBetweenBatches?.();
        if (hooks.shouldStop?.()) {
          stopped = true;
          break;
        }
      }
      const trainSeconds = (performance.now() - started) / 1000;
      const val = await scoreSplit(predict, data, x, split.validation);
      const mem = tf.memory();
      const report: EpochReport = {
        epoch, epochs: o.train.epochs,
        loss: lossSum / Math.max(1, seen), accuracy: accSum / Math.max(1, seen),
        valLoss: val?.loss ?? null, valAccuracy: val?.segmentAccuracy ?? null,
        seconds: trainSeconds, samplesPerSecond: seen / Math.max(1e-9, trainSeconds),
        numTensors: mem.numTensors, numBytes: mem.numBytes,
      };
      // A stopped epoch that saw no full pass is reported but does not count as completed.
      if (!stopped || seen === order.length) history.push(report);
      await hooks.onEpoch?.(report, model, { split, standardization, epochsCompleted: history.length });
    }
  } finally {
    parallel?.dispose();
  }
  const tested = o.skipTest ? null : await scoreSplit(predict, data, x, split.test);
  fast?.dispose();
  const evaluation = tested ?? evaluatePredictions(data, [], new Float32Array(0));
  return { model, split, standardization, history, epochsCompleted: history.length, stopped, evaluation };
}
