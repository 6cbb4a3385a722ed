import type { ModelFiles } from '../../saving/artifacts';
import type { ModelMetadata } from '../../saving/metadata';
import { checkModelFiles } from '../../saving/model-check';
import { MODEL_FILE_LIMITS, MODEL_FILES, modelFileSizeProblem, type UnzippedModel } from '../../saving/model-file-limits';

/** A zip larger than the three files it may hold, with room for zip headers, is not read at all. */
const ZIP_LIMIT = Object.values(MODEL_FILE_LIMITS).reduce((a, b) => a + b, 0) + 2 ** 20;

/**
 * Reads a model the user chose: the lab's zip (inflated by `unzip`, off the page's thread), or
 * model.json + weights.bin + metadata.json together. Every file is size-checked before it is read,
 * and the metadata and topology are checked before TensorFlow.js builds anything.
 */
export async function readModelFiles(
  files: File[],
  unzip: (zip: File) => Promise<UnzippedModel>,
): Promise<{ files: ModelFiles; metadata: ModelMetadata }> {
  const zip = files.find((f) => /\.zip$/i.test(f.name));
  let modelJson: unknown;
  let weights: ArrayBuffer;
  let metadata: unknown;
  if (zip) {
    if (zip.size > ZIP_LIMIT) throw new Error(`${zip.name} is ${(zip.size / 2 ** 20).toFixed(0)} MiB, larger than any model the lab makes`);
    ({ modelJson, weights, metadata } = await unzip(zip));
  } else {
    const byName = (name: string) => files.find((f) => f.name === name);
    const missing = MODEL_FILES.filter((n) => !byName(n));
    if (missing.length) {
      throw new Error(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: choose model.json, weights.bin and metadata.json together, or the zip the lab downloads`);
    }
    for (const name of MODEL_FILES) {
      const problem = modelFileSizeProblem(name, byName(name)!.size);
      if (problem) throw new Error(problem);
    }
    const json = async (name: string) => {
      try {
        return JSON.parse(await byName(name)!.text());
      } catch {
        throw new Error(`${name} is not valid JSON`);
      }
    };
    modelJson = await json('model.json');
    metadata = await json('metadata.json');
    weights = await byName('weights.bin')!.arrayBuffer();
  }
  return checkModelFiles({ modelJson, weights, metadata });
}
