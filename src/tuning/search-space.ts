import type { Architecture } from '../model/architectures/config';

/** One trial's settings: the architecture, and the sizes and rates it is built and trained with. */
export interface TuningParams {
  model: Architecture;
  lstmUnits: number;
  denseUnits: number;
  filters: number;
  dropout: number;
  learningRate: number;
  batchSize: number;
}

export type NumericKey = Exclude<keyof TuningParams, 'model'>;

export const PARAM_KEYS: NumericKey[] = ['lstmUnits', 'denseUnits', 'filters', 'dropout', 'learningRate', 'batchSize'];

/**
 * One architecture's own space as discrete choices (Keras Tuner's Int/Float steps and Choice).
 * A setting the architecture does not use holds a single value, so it adds no points.
 */
export interface ArchitectureSpace {
  model: Architecture;
  choices: Record<NumericKey, number[]>;
}

/**
 * The search space: the architecture as a categorical choice, each with its own space. Its points
 * are the union of the architectures' points (no point differs only in a setting its model ignores).
 */
export type SearchSpace = ArchitectureSpace[];

/** What the tuning form asks. `maxUnits` caps unit counts, for machines where 512-unit LSTMs take minutes per batch. */
export interface SpaceOptions {
  models: Architecture[];
  tuneBatchSize: boolean;
  maxUnits: number;
  /** The largest first-block filter count for the CNNs. */
  maxFilters: number;
}

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Number((from + i * step).toFixed(10)));

/** The search space; by default the recipe's alone (the LSTM), as the lab tuned before there were other models. */
export function tuningSpace(o: Partial<SpaceOptions> = {}): SearchSpace {
  const { models = ['lstm'], tuneBatchSize = false, maxUnits = 512, maxFilters = 64 } = o;
  const top = Math.max(32, Math.min(512, Math.floor(maxUnits / 32) * 32));
  const units = range(32, top, 32);
  const filters = [8, 16, 32, 64, 128].filter((f) => f <= Math.max(8, maxFilters));
  const shared = {
    dropout: range(0, 0.5, 0.1),
    learningRate: [1e-2, 1e-3, 1e-4],
    batchSize: tuneBatchSize ? [16, 32, 64, 128] : [32],
  };
  const spaceOf: Record<Architecture, Record<NumericKey, number[]>> = {
    // The recipe's space: both LSTM layers and the dense layer 32–512 units.
    lstm: { lstmUnits: units, denseUnits: units, filters: [16], ...shared },
    // The 2-D CNN has no dense layer before its softmax: filters, dropout, learning rate.
    cnn: { lstmUnits: [64], denseUnits: [64], filters, ...shared },
    conv1d: { lstmUnits: [64], denseUnits: units, filters, ...shared },
  };
  const chosen = [...new Set(models)];
  if (chosen.length === 0) throw new RangeError('choose at least one model to tune');
  return chosen.map((model) => ({ model, choices: spaceOf[model] }));
}

/** A point: the architecture's index in the space, then one choice index per numeric setting. */
export type Point = number[];

export function pointToParams(space: SearchSpace, p: Point): TuningParams {
  const arch = space[p[0]];
  const out = { model: arch.model } as TuningParams;
  PARAM_KEYS.forEach((k, i) => { out[k] = arch.choices[k][p[i + 1]]; });
  return out;
}

export function paramsToPoint(space: SearchSpace, params: TuningParams): Point {
  const a = space.findIndex((s) => s.model === params.model);
  if (a < 0) throw new RangeError(`model ${params.model} is not in the search space`);
  return [a, ...PARAM_KEYS.map((k) => {
    const i = space[a].choices[k].indexOf(params[k]);
    if (i < 0) throw new RangeError(`${k} = ${params[k]} is not in the search space of ${params.model}`);
    return i;
  })];
}

/**
 * The point in the surrogate's coordinates: the architecture one-hot, then each setting scaled to
 * [0, 1] (0 where the architecture has one value), so points of two models are never close.
 */
export function encode(space: SearchSpace, p: Point): number[] {
  const arch = space[p[0]];
  const oneHot = space.map((_, i) => (i === p[0] ? 1 : 0));
  return [...oneHot, ...PARAM_KEYS.map((k, i) => (arch.choices[k].length > 1 ? p[i + 1] / (arch.choices[k].length - 1) : 0))];
}

function archSize(a: ArchitectureSpace): number {
  return PARAM_KEYS.reduce((n, k) => n * a.choices[k].length, 1);
}

export function spaceSize(space: SearchSpace): number {
  return space.reduce((n, a) => n + archSize(a), 0);
}

/** The point with flat index `n`: the architectures one after another, mixed radix within each. */
export function pointAt(space: SearchSpace, n: number): Point {
  let a = 0;
  while (a < space.length - 1 && n >= archSize(space[a])) n -= archSize(space[a++]);
  return [a, ...PARAM_KEYS.map((k) => {
    const size = space[a].choices[k].length;
    const i = n % size;
    n = Math.floor(n / size);
    return i;
  })];
}

export function pointKey(p: Point): string {
  return p.join(',');
}
