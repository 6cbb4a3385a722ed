import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { ModelFiles } from './artifacts';
import type { ModelMetadata } from './metadata';
import { MODEL_FILE_LIMITS, MODEL_FILES, modelFileSizeProblem, type UnzippedModel } from './model-file-limits';
import { PREDICT_PY, README_TXT } from '../generated/python-files';
import { featureLabel, featureTypeOf } from '../dsp/settings';

export { MODEL_FILE_LIMITS, MODEL_FILES, modelFileSizeProblem, type UnzippedModel } from './model-file-limits';

/**
 * The download: one zip holding model.json, weights.bin and metadata.json side by side, with
 * predict.py (the model in Python, numpy and soundfile only) and a README.txt.
 */
export function zipModel(files: ModelFiles, metadata: ModelMetadata): Uint8Array {
  return zipSync({
    'model.json': strToU8(JSON.stringify(files.modelJson)),
    'weights.bin': new Uint8Array(files.weights),
    'metadata.json': strToU8(JSON.stringify(metadata, null, 2)),
    'predict.py': strToU8(PREDICT_PY),
    'README.txt': strToU8(readmeFor(metadata)),
  }, { level: 6 });
}

/**
 * README.txt for this model: python/README.txt speaks of the recipe's MFCCs; a log-mel model's
 * names its own features instead.
 */
export function readmeFor(metadata: Pick<ModelMetadata, 'features'>): string {
  if (featureTypeOf(metadata.features) !== 'logmel') return README_TXT;
  const label = featureLabel(metadata.features);
  return README_TXT
    .replace('the same MFCCs as the lab', `the same log-mel spectrogram as the lab (${label})`)
    .replace('[frames, coefficients] MFCCs', `[frames, bands] of log-mel values (${label})`);
}

/**
 * Reads the three files back from a zip, naming the one that is missing. Only those three entries
 * are inflated, each into a buffer of the size it declares, after that size is checked: a zip
 * bomb's other entries are never touched, and one that lies about its size is cut at the size it
 * declared (and then fails the weights' own size check) instead of growing without end.
 */
export function unzipModel(bytes: Uint8Array): UnzippedModel {
  let entries: Record<string, Uint8Array>;
  const wanted = new Map<string, (typeof MODEL_FILES)[number]>();
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        // Accept the files at the top or inside one folder; only the first of each name.
        const name = MODEL_FILES.find((n) => f.name === n || f.name.endsWith(`/${n}`));
        if (!name || [...wanted.values()].includes(name)) return false;
        // 0xFFFFFFFF is zip64's placeholder: the real size is in a record this zip may not have.
        const problem = f.originalSize === 0xffffffff
          ? `${name} does not state its size (the zip64 placeholder, 4 GiB or more); the lab reads ${name} of up to ${MODEL_FILE_LIMITS[name] / 2 ** 20} MiB`
          : modelFileSizeProblem(name, f.originalSize);
        if (problem) throw new Error(problem);
        wanted.set(f.name, name);
        return true;
      },
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(MODEL_FILES.some((n) => why.startsWith(`${n} is `) || why.startsWith(`${n} does not`)) ? why : `not a readable zip file (${why})`);
  }
  const find = (name: string) => Object.entries(entries).find(([k]) => wanted.get(k) === name)?.[1];
  const model = find('model.json');
  const weights = find('weights.bin');
  const metadata = find('metadata.json');
  const missing = [['model.json', model], ['weights.bin', weights], ['metadata.json', metadata]].filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new Error(`the zip has no ${missing.join(', ')}`);
  const parse = (name: string, b: Uint8Array) => {
    try {
      return JSON.parse(strFromU8(b));
    } catch {
      throw new Error(`${name} in the zip is not valid JSON`);
    }
  };
  return {
    modelJson: parse('model.json', model!),
    weights: weights!.slice().buffer,
    metadata: parse('metadata.json', metadata!),
  };
}
