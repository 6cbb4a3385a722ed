import type { BayesianOptimizer } from './bayes-opt';
import type { Point, TuningParams } from './search-space';
import type { Interval } from '../evaluation/intervals';

/** How a tuning search uses the machine: trials side by side, each on some threads. */
export interface TuningPlan {
  /** Trials running at once. */
  lanes: number;
  /** Threads each trial's batches are shared between (data-parallel; the LSTM on WASM or CPU). */
  threadsPerTrial: number;
}

/**
 * A trial needs its own copy of the features, and a standardised copy beside it; side by side
 * trials hold theirs at once, so their number is kept to what fits in this many bytes.
 */
export const SIDE_BY_SIDE_BYTES = 2 ** 31;

/**
 * Trials side by side, one per core, rather than one at a time with each batch shared between
 * the cores: independent trials need no exchange between threads each batch, and they speed up
 * every model, where splitting batches speeds up only the LSTM (npm run bench:tune measures both;
 * the README has the figures). Bounded by the trials asked for and by memory; cores left over
 * when there are fewer trials than cores share the trials' batches.
 */
export function tuningPlan(cores: number, trials: number, featureBytes: number): TuningPlan {
  const byMemory = Math.max(1, Math.floor(SIDE_BY_SIDE_BYTES / Math.max(1, 2 * featureBytes)));
  const lanes = Math.max(1, Math.min(cores, trials, byMemory));
  return { lanes, threadsPerTrial: Math.max(1, Math.floor(cores / lanes)) };
}

/**
 * Trials stop after this many epochs without a lower validation loss (unless the form sets its
 * own) and are judged on that best epoch's weights: what "Use best" trains again.
 */
export const TRIAL_EARLY_STOPPING = 3;

export interface TrialOutcome {
  status: 'done' | 'stopped' | 'failed';
  /** Validation accuracy of the weights kept (the best epoch's), its 95 % interval over the validation clips, and that epoch. */
  valAccuracy?: number;
  valInterval?: Interval;
  valClips?: number;
  bestEpoch?: number;
  /** The epoch at which a loss stopped being finite, which ended the trial (its score is the weights kept before it). */
  divergedAt?: number;
  seconds?: number;
}

export interface TrialStart {
  /** 1, 2, … in the order the trials were suggested. */
  n: number;
  params: TuningParams;
  point: Point;
}

export interface TuningHooks {
  runTrial(trial: TrialStart): Promise<TrialOutcome>;
  onStart?(trial: TrialStart): void;
  onFinish?(trial: TrialStart, outcome: TrialOutcome): void;
  /** Checked before each new trial; running trials are the caller's to stop. */
  shouldStop?(): boolean;
}

/**
 * Runs `trials` trials of the optimizer's suggestions, `lanes` at a time: whenever one finishes,
 * its score goes to the optimizer and the next suggestion starts in its place. A failed trial
 * ends the search (no new trials; the running ones finish); a stopped one scores nothing.
 * A search continued after a reload numbers its trials from `firstTrial`.
 */
export async function runTuning(optimizer: BayesianOptimizer, trials: number, lanes: number, hooks: TuningHooks, firstTrial = 1): Promise<void> {
  let started = firstTrial - 1;
  trials += firstTrial - 1;
  let failed = false;
  const more = () => started < trials && !failed && !hooks.shouldStop?.();
  const lane = async (): Promise<void> => {
    while (more()) {
      const { params, point } = optimizer.suggest();
      const trial: TrialStart = { n: ++started, params, point };
      hooks.onStart?.(trial);
      const outcome = await hooks.runTrial(trial);
      if (outcome.status === 'done' && outcome.valAccuracy !== undefined) optimizer.observe(point, outcome.valAccuracy);
      else optimizer.abandon(point);
      if (outcome.status === 'failed') failed = true;
      hooks.onFinish?.(trial, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, trials - firstTrial + 1)) }, lane));
}

/**
 * The best trial: the highest validation accuracy among trials that finished or were stopped with
 * a validation score (a stopped trial's kept weights were judged as a finished one's are); the
 * first of equals. Failed and running trials never count.
 */
export function bestTrial<T extends { status: string; valAccuracy?: number }>(trials: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const t of trials) {
    if ((t.status !== 'done' && t.status !== 'stopped') || t.valAccuracy === undefined) continue;
    if (!best || t.valAccuracy > best.valAccuracy!) best = t;
  }
  return best;
}
