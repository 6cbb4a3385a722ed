/** The recipe's tuning space, as discrete choices (Keras Tuner's Int/Float steps and Choice). */
export interface TuningParams {
  lstmUnits: number;
  denseUnits: number;
  dropout: number;
  learningRate: number;
  batchSize: number;
}

export type SearchSpace = { [K in keyof TuningParams]: number[] };

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Number((from + i * step).toFixed(10)));

/** `maxUnits` caps the unit counts, for machines where 512-unit LSTMs take minutes per batch. */
export function recipeSpace(tuneBatchSize = false, maxUnits = 512): SearchSpace {
  const top = Math.max(32, Math.min(512, Math.floor(maxUnits / 32) * 32));
  return {
    lstmUnits: range(32, top, 32),
    denseUnits: range(32, top, 32),
    dropout: range(0, 0.5, 0.1),
    learningRate: [1e-2, 1e-3, 1e-4],
    batchSize: tuneBatchSize ? [16, 32, 64, 128] : [32],
  };
}

export const PARAM_KEYS: (keyof TuningParams)[] = ['lstmUnits', 'denseUnits', 'dropout', 'learningRate', 'batchSize'];

/** A point as one choice index per parameter. */
export type Point = number[];

export function pointToParams(space: SearchSpace, p: Point): TuningParams {
  const out = {} as TuningParams;
  PARAM_KEYS.forEach((k, i) => (out[k] = space[k][p[i]]));
  return out;
}

export function paramsToPoint(space: SearchSpace, params: TuningParams): Point {
  return PARAM_KEYS.map((k) => {
    const i = space[k].indexOf(params[k]);
    if (i < 0) throw new RangeError(`${k} = ${params[k]} is not in the search space`);
    return i;
  });
}

/** Each coordinate scaled to [0, 1], the space the surrogate model works in. */
export function encode(space: SearchSpace, p: Point): number[] {
  return PARAM_KEYS.map((k, i) => (space[k].length > 1 ? p[i] / (space[k].length - 1) : 0));
}

export function spaceSize(space: SearchSpace): number {
  return PARAM_KEYS.reduce((n, k) => n * space[k].length, 1);
}

/** The point with flat index `n` (mixed radix over the choices). */
export function pointAt(space: SearchSpace, n: number): Point {
  return PARAM_KEYS.map((k) => {
    const size = space[k].length;
    const i = n % size;
    n = Math.floor(n / size);
    return i;
  });
}

export function pointKey(p: Point): string {
  return p.join(',');
}
