import * as tf from '@tensorflow/tfjs';
import { Augmenter, augmentOn } from '../data/augment';
import { batchValues, predictProbabilities, type Predictor } from '../data/batches';
import { buildModel } from '../architectures/build';
import type { ModelConfig, ModelSettings, TrainConfig } from '../architectures/config';
import { specOf } from '../architectures/spec';
import type { TrainingData } from '../../dataset/training-data';
import { evaluatePredictions, type Evaluation } from '../../evaluation/evaluate';
import type { Interval } from '../../evaluation/intervals';
import { EpochPolicy, type Divergence } from '../optimizers/epoch-policy';
import type { WeightsSnapshot } from '../engines/trainer';
import type { ThreadReplica } from '../parallel/replica';
import { simdAsked, startEngine, type EngineName } from './choose-engine';
import { seededRandom, shuffleInPlace } from '../data/random';
import { mixSeed, STREAMS } from '../kernels/hash-random';
import { splitData, splitProblem, type Split, type SplitOptions } from '../data/split';
import { applyStandardization, fitStandardization, type Standardization } from '../data/standardize';

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
  /** Training time of the epoch; validation's follows it. */
  seconds: number;
  validationSeconds: number;
  samplesPerSecond: number;
  /** tf.memory() after the epoch: must not grow from one epoch to the next. */
  numTensors: number;
  numBytes: number;
  /** The rate this epoch trained at, and the best epoch so far (lowest validation loss); absent in older kept runs. */
  learningRate?: number;
  bestEpoch?: number;
}

/** How a run trains: the SIMD LSTM's or CNNs' kernels on so many threads, or tfjs's layers on one (`path` as metadata.json's `training.path` names it). */
export interface TrainerInfo {
  path: 'fast-lstm' | 'fast-cnn' | 'tfjs';
  threads: number;
  /** chooseEngine's sentence: the engine and why (absent in runs made before it was kept). */
  reason?: string;
}

const PATHS: Record<EngineName, TrainerInfo['path']> = { 'simd-lstm': 'fast-lstm', 'simd-cnn': 'fast-cnn', layers: 'tfjs' };

export interface SessionHooks {
  /** Once, before the first batch. */
  onTrainer?(info: TrainerInfo): void;
  onBatch?(r: BatchReport): void | Promise<void>;
  onEpoch?(r: EpochReport, model: tf.LayersModel, state: SessionState): void | Promise<void>;
  /** Checked between batches: training ends cleanly after the current batch. */
  shouldStop?(): boolean;
  /** Called between batches so a page or worker can handle messages. */
  yieldBetweenBatches?(): Promise<void>;
}

export interface SessionOptions {
  model: ModelSettings;
  train: TrainConfig;
  split: SplitOptions;
  /** Builds the model, its starting weights drawn from the seed given; the default is buildModel. */
  build?: (c: ModelConfig, seed: number) => tf.LayersModel;
  /** Tuning trials leave the test split alone: they are judged on validation only. */
  skipTest?: boolean;
  /** Train the LSTM with the SIMD LSTM engine where it runs (default); false trains with tf.layers.lstm's own graph. */
  fastLstm?: boolean;
  /**
   * Helper threads for data-parallel training of the SIMD LSTM and CNNs, made once the model's
   * shape is known and the engine shares batches: each batch is shared between this thread and them.
   */
  helpers?: (config: ModelConfig) => ThreadReplica[];
}

/** What a model depends on besides its weights: how the data was split and scaled, and which epoch's weights it has. */
export interface SessionState {
  split: Split;
  standardization: Standardization | null;
  epochsCompleted: number;
  /** With early stopping, the epoch whose weights the model holds. */
  bestEpoch?: number;
  /** Which engine trains, on how many threads. */
  trainer?: TrainerInfo;
}

export interface SessionResult {
  model: tf.LayersModel;
  split: Split;
  standardization: Standardization | null;
  history: EpochReport[];
  epochsCompleted: number;
  stopped: boolean;
  evaluation: Evaluation;
  /** With skipTest (tuning): the validation split scored on the weights kept, with its intervals. */
  validation?: Evaluation;
  /** With early stopping: the epoch whose weights the model has (the lowest validation loss), and whether training stopped before its last epoch. */
  bestEpoch?: number;
  stoppedEarly: boolean;
  trainer: TrainerInfo;
  /** A loss stopped being finite: the run stopped at that epoch, and the model has the weights of `keptEpoch` (none when 0: then it is not evaluated). */
  diverged?: Divergence;
}

/** Prepares the split and (optionally) standardised copy of the features. */
export function prepare(
  data: TrainingData,
  train: TrainConfig,
  split: SplitOptions,
): { split: Split; x: Float32Array; standardization: Standardization | null } {
  const s = splitData(data, split);
  const problem = splitProblem(data, s);
  if (problem) throw new Error(problem);
  if (!train.standardize) return { split: s, x: data.x, standardization: null };
  const standardization = fitStandardization(data.x, s.train, data.frames, data.coefficients);
  const x = data.x.slice();
  applyStandardization(x, standardization, data.coefficients);
  return { split: s, x, standardization };
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

async function scoreSplit(predict: Predictor, data: TrainingData, x: Float32Array, indices: number[]): Promise<Evaluation | null> {
  if (indices.length === 0) return null;
  return evaluatePredictions(data, indices, await predictProbabilities(predict, data, x, indices));
}

/**
 * One training run, the same in the page's worker and in `npm run train`: split, standardise,
 * build, train batch by batch with a seeded order, validate each epoch (the learning rate set by
 * the schedule, the best epoch kept, an early stop where asked), evaluate on test with the best
 * epoch's weights where early stopping is on, the last ones otherwise.
 */
export async function runSession(data: TrainingData, o: SessionOptions, hooks: SessionHooks = {}): Promise<SessionResult> {
  const { split, x, standardization } = prepare(data, o.train, o.split);
  const config: ModelConfig = { ...o.model, frames: data.frames, coefficients: data.coefficients, classes: data.genres.length };
  const spec = specOf(config);
  const model = (o.build ?? buildModel)(config, o.train.seed);
  const augmenter = augmentOn(o.train.augment) ? new Augmenter(data, o.train.augment, split.train, o.train.seed + 2) : undefined;
  // The SIMD engines train and predict on arrays, their batches shared with the helper threads
  // when there are any; anything else through tfjs's layers (chooseEngine says which and why).
  const { trainer, choice } = startEngine(model, spec, { backend: tf.getBackend(), simd: simdAsked(spec, o.fastLstm) },
    () => (o.helpers ? o.helpers(config) : []), mixSeed(o.train.seed, STREAMS.dropout));
  const info: TrainerInfo = { path: PATHS[choice.engine], threads: trainer.threads, reason: choice.reason };
  hooks.onTrainer?.(info);
  const predict: Predictor = { rows: 64 * trainer.threads, predict: (values, rows) => trainer.predict(values, rows, data.frames, data.coefficients) };
  const batchBuffer = new Float32Array(o.train.batchSize * data.frames * data.coefficients);
  const random = seededRandom(o.train.seed + 1);
  const history: EpochReport[] = [];
  const batchSize = o.train.batchSize;
  const patience = o.train.earlyStopping ?? 0;
  const policy = new EpochPolicy(config.learningRate, o.train.schedule ?? 'constant', o.train.epochs, patience);
  let best: WeightsSnapshot | undefined;
  let stopped = false;
  let stoppedEarly = false;
  let diverged: Divergence | undefined;
  let tested: Evaluation | null = null;
  let validated: Evaluation | null = null;
  // Helper threads end with the run, however it ends.
  try {
    for (let epoch = 1; epoch <= o.train.epochs && !stopped && !stoppedEarly && !diverged; epoch++) {
      const learningRate = policy.rateFor(epoch);
      trainer.setLearningRate(learningRate);
      const started = performance.now();
      const order = shuffleInPlace([...split.train], random);
      const batches = Math.ceil(order.length / batchSize);
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const idx = order.slice(b * batchSize, (b + 1) * batchSize);
        const { values, labels } = batchValues(data, x, idx, augmenter, batchBuffer);
        const [loss, accuracy] = await trainer.step(values, labels, idx.length, data.frames, data.coefficients);
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
      const validationSeconds = (performance.now() - started) / 1000 - trainSeconds;
      const mem = tf.memory();
      const loss = lossSum / Math.max(1, seen);
      // Each epoch's weights are looked at (a copy: a moment beside an epoch): one that overflowed ends the run.
      const weights = await trainer.snapshot();
      const judged = policy.observe(epoch, val?.loss ?? null, loss, weights.every(allFinite));
      // The weights to go back to: the best epoch's for early stopping, and whatever a divergence would keep.
      if (judged.keep) best = weights;
      diverged = judged.diverged;
      stoppedEarly = judged.stop && !diverged;
      const report: EpochReport = {
        epoch, epochs: o.train.epochs,
        loss, accuracy: accSum / Math.max(1, seen),
        valLoss: val?.loss ?? null, valAccuracy: val?.segmentAccuracy ?? null,
        seconds: trainSeconds, validationSeconds, samplesPerSecond: seen / Math.max(1e-9, trainSeconds),
        numTensors: mem.numTensors, numBytes: mem.numBytes, learningRate, bestEpoch: policy.bestEpoch || undefined,
      };
      // A stopped epoch that saw no full pass is reported but does not count as completed.
      if (!stopped || seen === order.length) history.push(report);
      trainer.flush();
      await hooks.onEpoch?.(report, model, { split, standardization, epochsCompleted: history.length, trainer: info });
    }
    // With early stopping the model is the best epoch's, not the last one's; after a divergence,
    // the best or last finite epoch's; a model of no finite epoch is not scored.
    const keptEpoch = diverged ? diverged.keptEpoch : patience > 0 ? policy.bestEpoch : 0;
    if (best && keptEpoch && keptEpoch !== history.length) await trainer.restore(best);
    if (!diverged || keptEpoch) {
      if (!o.skipTest) tested = await scoreSplit(predict, data, x, split.test);
      else validated = await scoreSplit(predict, data, x, split.validation);
    }
    trainer.flush();
  } finally {
    trainer.dispose();
  }
  const evaluation = tested ?? evaluatePredictions(data, [], new Float32Array(0));
  return {
    model, split, standardization, history, epochsCompleted: history.length, stopped, evaluation, ...(validated ? { validation: validated } : {}),
    bestEpoch: diverged ? diverged.keptEpoch || undefined : patience > 0 && policy.bestEpoch ? policy.bestEpoch : undefined, stoppedEarly, trainer: info,
    ...(diverged ? { diverged } : {}),
  };
}

/**
 * How a tuning trial scores: the validation accuracy of the weights it kept (the best epoch's
 * with early stopping) with its interval over the validation clips; a run without that score
 * (no validation pass at the end) falls back to the best any epoch reached, Keras Tuner's objective.
 * `divergedAt`: the epoch at which a loss stopped being finite, which ended the trial.
 */
export function trialScore(r: SessionResult): { valAccuracy: number; valInterval?: Interval; valClips?: number; bestEpoch?: number; divergedAt?: number } {
  const divergedAt = r.diverged ? { divergedAt: r.diverged.epoch } : {};
  const v = r.validation;
  if (v && v.segments > 0)
    return { valAccuracy: v.segmentAccuracy, valInterval: v.intervals?.segment, valClips: v.clips, bestEpoch: r.bestEpoch, ...divergedAt };
  // A diverged epoch's accuracy is that of weights that give no number: it does not count.
  const scored = r.history.filter((h) => !r.diverged || h.epoch < r.diverged.epoch);
  return { valAccuracy: Math.max(0, ...scored.map((h) => h.valAccuracy ?? 0)), bestEpoch: r.bestEpoch, ...divergedAt };
}
