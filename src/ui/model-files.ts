import type { ModelFiles } from '../model/artifacts';
import { parseMetadata, type ModelMetadata } from '../model/metadata';
import { unzipModel } from '../model/model-zip';
import { framesPerSegment } from '../dsp/settings';

/** Reads a model the user chose: the lab's zip, or model.json + weights.bin + metadata.json together. */
export async function readModelFiles(files: File[]): Promise<{ files: ModelFiles; metadata: ModelMetadata }> {
  const zip = files.find((f) => /\.zip$/i.test(f.name));
  let modelJson: unknown;
  let weights: ArrayBuffer;
  let metadata: unknown;
  if (zip) {
    ({ modelJson, weights, metadata } = unzipModel(new Uint8Array(await zip.arrayBuffer())));
  } else {
    const byName = (name: string) => files.find((f) => f.name === name);
    const missing = ['model.json', 'weights.bin', 'metadata.json'].filter((n) => !byName(n));
    if (missing.length) {
      throw new Error(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: choose model.json, weights.bin and metadata.json together, or the zip the lab downloads`);
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
  const meta = parseMetadata(metadata);
  const frames = framesPerSegment(meta.features);
  if (meta.inputShape[0] !== frames || meta.inputShape[1] !== meta.features.nMfcc) {
    throw new Error(`metadata.json does not add up: its feature settings give segments of [${frames}, ${meta.features.nMfcc}] but it says the model takes [${meta.inputShape.join(', ')}]`);
  }
  const mj = modelJson as { modelTopology?: unknown } | null;
  if (!mj || typeof mj !== 'object' || !mj.modelTopology) throw new Error('model.json is not a TensorFlow.js layers model (no modelTopology)');
  return { files: { modelJson: modelJson as ModelFiles['modelJson'], weights }, metadata: meta };
}
