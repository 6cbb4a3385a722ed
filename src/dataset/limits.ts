/**
 * One set of limits for every reader of the lab's files: the page, `npm run predict`,
 * `npm run train`, and python/predict.py, which holds the same numbers (a unit test compares
 * them). Each is far above anything the lab makes and far below what would allocate gigabytes or
 * freeze a tab; a file past one is refused with the limit named. The feature settings' ranges
 * live with the settings (src/dsp/settings.ts) and are shared the same way.
 */
export const LIMITS = Object.freeze({
  /** Genres in a dataset or a model (a softmax over this many units). */
  genres: 8192,
  /** Units of a dense or LSTM layer, filters of a convolution. */
  layerUnits: 8192,
  layers: 64,
  /** A convolution's kernel, each side. */
  kernelSide: 64,
  /** Weights of a whole model: as many float32 values as the largest weights.bin holds. */
  parameters: 2 ** 27,
  /** The most each model file may hold once inflated (~60 M weights is the form's largest model). */
  fileBytes: Object.freeze({ 'model.json': 32 * 2 ** 20, 'weights.bin': 512 * 2 ** 20, 'metadata.json': 64 * 2 ** 20 }),
  /** Activations the lab builds, so the page, the Node CLI and predict.py all run them. */
  activations: Object.freeze(['linear', 'relu', 'tanh', 'sigmoid', 'hard_sigmoid', 'softmax']),
});

/** Why a list of genre names cannot be used, or undefined: too many, or a blank name. */
export function genreNamesProblem(genres: readonly string[], where: string): string | undefined {
  if (genres.length > LIMITS.genres) return `${where} names ${genres.length} genres; the lab reads up to ${LIMITS.genres}`;
  const blank = genres.findIndex((g) => g.trim() === '');
  if (blank >= 0) return `${where}: genre ${blank + 1} has a blank name (${JSON.stringify(genres[blank])}); every genre needs a name that shows`;
  return undefined;
}
