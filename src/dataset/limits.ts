import shared from '../../schemas/limits.json';

/**
 * One set of limits for every reader of the lab's files: the page, `npm run predict`,
 * `npm run train`, python/train.py and python/predict.py. The numbers live once, in
 * schemas/limits.json, read here and by the Python tools (predict.py carries a copy inlined by
 * `npm run build:python`, and a unit test holds it equal). Each is far above anything the lab
 * makes and far below what would allocate gigabytes or freeze a tab; a file past one is refused
 * with the limit named. The feature settings' ranges come from the same file (src/dsp/settings.ts).
 */
export const LIMITS = Object.freeze({
  /** Genres in a dataset or a model (a softmax over this many units). */
  genres: shared.limits.genres,
  /** Units of a dense or LSTM layer, filters of a convolution. */
  layerUnits: shared.limits.layerUnits,
  layers: shared.limits.layers,
  /** A convolution's kernel, each side. */
  kernelSide: shared.limits.kernelSide,
  /** Weights of a whole model: as many float32 values as the largest weights.bin holds. */
  parameters: shared.limits.parameters,
  /** The most each model file may hold once inflated (~60 M weights is the form's largest model). */
  fileBytes: Object.freeze({ ...shared.limits.fileBytes }),
  /** Activations the lab builds, so the page, the Node CLI and predict.py all run them. */
  activations: Object.freeze([...shared.limits.activations]),
  /**
   * The smallest standardisation deviation a model may carry: fitting turns a smaller one into 1
   * (a constant coefficient), and every reader refuses one below it, since dividing by it in
   * float32 gives Infinity or values no model was trained on.
   */
  minDeviation: shared.limits.minDeviation,
  /** Seeds are whole numbers from 0 to this (2³² − 1), in the page, `npm run train` and train.py. */
  seedMax: shared.limits.seedMax,
});

/** Why a list of genre names cannot be used, or undefined: too many, or a blank name. */
export function genreNamesProblem(genres: readonly string[], where: string): string | undefined {
  if (genres.length > LIMITS.genres) return `${where} names ${genres.length} genres; the lab reads up to ${LIMITS.genres}`;
  const blank = genres.findIndex((g) => g.trim() === '');
  if (blank >= 0) return `${where}: genre ${blank + 1} has a blank name (${JSON.stringify(genres[blank])}); every genre needs a name that shows`;
  return undefined;
}
