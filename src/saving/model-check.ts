import { LIMITS } from '../dataset/limits';
import type { ModelFiles } from './artifacts';
import { parseMetadata, type ModelMetadata } from './metadata';
import type { UnzippedModel } from './model-file-limits';
import { countWeights } from './topology-size';

/** Layer types the lab builds, and so can run and export; anything else is refused at load. */
export const RUNNABLE_LAYERS: ReadonlySet<string> = new Set([
  'InputLayer', 'LSTM', 'Dense', 'Dropout',
  'Reshape', 'Conv2D', 'Conv1D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'MaxPooling1D',
  'GlobalAveragePooling2D', 'GlobalAveragePooling1D',
]);

const wholeUpTo = (n: unknown, max: number): boolean => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max;

interface LayerJson {
  class_name?: unknown;
  config?: { units?: unknown; activation?: unknown; batch_input_shape?: unknown; [k: string]: unknown };
}

/**
 * Checks model.json's topology before TensorFlow.js builds anything from it: a Sequential or
 * functional model of layers the lab runs, with activations every reader runs, sizes in range, as
 * many weights as weights.bin holds (when its size is given), a softmax over exactly the genres
 * the metadata names. Building a layer allocates its weights, so a Dense of 10⁹ units must be
 * refused here, not discovered by running out of memory. Returns why it cannot be used, or undefined.
 */
export function topologyProblem(
  modelJson: unknown,
  metadata: Pick<ModelMetadata, 'genres'> & Partial<Pick<ModelMetadata, 'inputShape'>>,
  weightsBytes?: number,
): string | undefined {
  const topology = (modelJson as { modelTopology?: Record<string, unknown> } | null)?.modelTopology;
  if (!topology || typeof topology !== 'object') return 'model.json is not a TensorFlow.js layers model (no modelTopology)';
  const root = (topology.model_config ?? topology) as { class_name?: unknown; config?: { layers?: unknown } };
  if (!['Sequential', 'Model', 'Functional'].includes(String(root.class_name))) {
    return `model.json holds a ${JSON.stringify(root.class_name)}, not a Sequential or functional model`;
  }
  const layers = root.config?.layers;
  if (!Array.isArray(layers) || layers.length === 0) return 'model.json lists no layers';
  if (layers.length > LIMITS.layers) return `model.json lists ${layers.length} layers; the lab runs models of up to ${LIMITS.layers}`;
  for (const [i, layer] of (layers as LayerJson[]).entries()) {
    const type = String(layer?.class_name);
    if (!RUNNABLE_LAYERS.has(type))
      return `layer ${i + 1} is a ${type}, which the lab cannot run (it runs ${[...RUNNABLE_LAYERS].join(', ')})`;
    for (const size of ['units', 'filters'] as const) {
      const n = layer.config?.[size];
      if (n !== undefined && !wholeUpTo(n, LIMITS.layerUnits))
        return `layer ${i + 1} (${type}) has ${JSON.stringify(n)} ${size}; the lab runs layers of 1 to ${LIMITS.layerUnits}`;
    }
    const kernel = layer.config?.kernel_size;
    const sides = Array.isArray(kernel) ? kernel : kernel === undefined ? [] : [kernel];
    if (sides.some((k) => !wholeUpTo(k, LIMITS.kernelSide))) {
      return `layer ${i + 1} (${type}) has a kernel of ${JSON.stringify(kernel)}; the lab runs kernels of 1 to ${LIMITS.kernelSide} a side`;
    }
    for (const key of ['activation', 'recurrent_activation'] as const) {
      const a = layer.config?.[key];
      if (a !== undefined && !LIMITS.activations.includes(a as string)) {
        return `layer ${i + 1} (${type}) uses the activation ${JSON.stringify(a)}; the lab runs ${LIMITS.activations.join(', ')}`;
      }
    }
  }
  const last = layers[layers.length - 1] as LayerJson;
  if (last.class_name !== 'Dense' || last.config?.activation !== 'softmax') {
    return 'the last layer must be a Dense layer with a softmax, giving one probability per genre';
  }
  if (last.config.units !== metadata.genres.length) {
    return `the model has ${String(last.config.units)} outputs but its metadata names ${metadata.genres.length} genres`;
  }
  const input = (layers[0] as LayerJson).config?.batch_input_shape;
  const shape = metadata.inputShape;
  if (shape && (!Array.isArray(input) || input.length !== 3 || input[1] !== shape[0] || input[2] !== shape[1])) {
    return `the model takes input ${JSON.stringify(Array.isArray(input) ? input.slice(1) : (input ?? null))} but its metadata describes segments of [${shape[0]}, ${shape[1]}] (frames, coefficients)`;
  }
  const counted = countWeights(layers as LayerJson[]);
  if ('problem' in counted) return `model.json: ${counted.problem}`;
  if (counted.weights > LIMITS.parameters) {
    return `model.json describes a model of ${counted.weights.toLocaleString('en')} weights; the lab runs models of up to ${LIMITS.parameters.toLocaleString('en')}`;
  }
  const manifest = manifestValues(modelJson);
  if (manifest !== counted.weights) {
    return `model.json's weights manifest lists ${manifest.toLocaleString('en')} values but its layers have ${counted.weights.toLocaleString('en')} weights`;
  }
  if (weightsBytes !== undefined && weightsBytes !== 4 * counted.weights) {
    return `weights.bin holds ${weightsBytes.toLocaleString('en')} bytes but model.json's layers need ${(4 * counted.weights).toLocaleString('en')} (${counted.weights.toLocaleString('en')} float32 weights)`;
  }
  return undefined;
}

/** Values the weights manifest lists (NaN where a shape is not a list of whole numbers). */
function manifestValues(modelJson: unknown): number {
  const groups = (modelJson as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(groups)) return NaN;
  let total = 0;
  for (const g of groups) {
    for (const w of Array.isArray(g?.weights) ? g.weights : [NaN]) {
      const shape: unknown = w?.shape;
      if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) return NaN;
      if (w.dtype !== undefined && w.dtype !== 'float32') return NaN;
      total += shape.reduce((a: number, b: number) => a * b, 1);
    }
  }
  return total;
}

/** The first weight that is NaN or infinite, as words, or undefined: such a model gives no probabilities. */
export function weightsProblem(weights: ArrayBuffer): string | undefined {
  const values = new Float32Array(weights, 0, Math.floor(weights.byteLength / 4));
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return `weights.bin holds ${values[i]} (value ${i + 1} of ${values.length}): a model with such a weight gives no probabilities`;
  }
  return undefined;
}

/**
 * Every check a model's files must pass before anything builds it, in one place for the page,
 * `npm run predict` and the zip reader: metadata (settings in range, shape adding up), topology
 * (layers, sizes, weights counted against weights.bin), and finite weights.
 */
export function checkModelFiles(files: UnzippedModel): { files: ModelFiles; metadata: ModelMetadata } {
  const metadata = parseMetadata(files.metadata);
  const problem = topologyProblem(files.modelJson, metadata, files.weights.byteLength) ?? weightsProblem(files.weights);
  if (problem) throw new Error(problem);
  return { files: { modelJson: files.modelJson as ModelFiles['modelJson'], weights: files.weights }, metadata };
}
