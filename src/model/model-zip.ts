import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { ModelFiles } from './artifacts';
import type { ModelMetadata } from './metadata';

/** The download: one zip holding model.json, weights.bin and metadata.json, side by side. */
export function zipModel(files: ModelFiles, metadata: ModelMetadata): Uint8Array {
  return zipSync({
    'model.json': strToU8(JSON.stringify(files.modelJson)),
    'weights.bin': new Uint8Array(files.weights),
    'metadata.json': strToU8(JSON.stringify(metadata, null, 2)),
  }, { level: 6 });
}

export interface UnzippedModel {
  modelJson: unknown;
  weights: ArrayBuffer;
  metadata: unknown;
}

/** Reads the three files back from a zip, naming the one that is missing. */
export function unzipModel(bytes: Uint8Array): UnzippedModel {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new Error(`not a readable zip file (${e instanceof Error ? e.message : String(e)})`);
  }
  // Accept the files at the top or inside one folder.
  const find = (name: string) => Object.entries(entries).find(([k]) => k === name || k.endsWith(`/${name}`))?.[1];
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
