import { LIMITS } from '../dataset/limits';

/**
 * The three files of a model and the most each may hold: light, so the page can check sizes
 * without loading the zip reader and writer (model-zip.ts beside it).
 */
export interface UnzippedModel {
  modelJson: unknown;
  weights: ArrayBuffer;
  metadata: unknown;
}

export const MODEL_FILES = ['model.json', 'weights.bin', 'metadata.json'] as const;

/** The most each model file may hold once inflated (src/dataset/limits.ts: every reader's limits). */
export const MODEL_FILE_LIMITS: Readonly<Record<(typeof MODEL_FILES)[number], number>> = LIMITS.fileBytes;

const mib = (n: number) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 0)} MiB`;

/** Why a model file of this size is refused, or undefined. */
export function modelFileSizeProblem(name: (typeof MODEL_FILES)[number], bytes: number): string | undefined {
  const limit = MODEL_FILE_LIMITS[name];
  return bytes > limit ? `${name} is ${mib(bytes)}; the lab reads model files of up to ${mib(limit)}` : undefined;
}
