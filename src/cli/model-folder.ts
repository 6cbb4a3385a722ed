/** Reading a model from the command line: a folder of the lab's three files, or its zip. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { modelFromFiles } from '../saving/artifacts';
import { modelMismatch } from '../evaluation/classify';
import { checkModelFiles } from '../saving/model-check';
import type { ModelMetadata } from '../saving/metadata';
import { type MODEL_FILES, modelFileSizeProblem, unzipModel, type UnzippedModel } from '../saving/model-zip';
import { useNodeWasmBinaries } from '../model/backend/node-wasm-paths';

/** A model folder's three files or the lab's zip, each size-checked before it is read. */
export function readModel(path: string): UnzippedModel {
  if (statSync(path).isFile()) return unzipModel(new Uint8Array(readFileSync(path)));
  const read = (name: (typeof MODEL_FILES)[number]) => {
    const file = join(path, name);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new Error(`${file} is missing: a model folder holds model.json, weights.bin and metadata.json`);
    }
    const problem = modelFileSizeProblem(name, size);
    if (problem) throw new Error(problem);
    return readFileSync(file);
  };
  const json = (name: 'model.json' | 'metadata.json') => {
    try {
      return JSON.parse(read(name).toString('utf8'));
    } catch (e) {
      throw e instanceof SyntaxError ? new Error(`${name} is not valid JSON`) : e;
    }
  };
  const weights = read('weights.bin');
  return {
    modelJson: json('model.json'),
    weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    metadata: json('metadata.json'),
  };
}

/** tfjs on `wasm` (its binaries from node_modules) or `cpu`. */
export async function useBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    useNodeWasmBinaries();
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend could not start`);
  await tf.ready();
}

/** A model and its metadata, checked and refused when they do not fit each other. */
export async function loadModel(path: string): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  const { files, metadata } = checkModelFiles(readModel(path));
  const model = await modelFromFiles(files.modelJson, files.weights);
  const mismatch = modelMismatch(model, metadata);
  if (mismatch) throw new Error(mismatch);
  return { model, metadata };
}
