import type { ModelMetadata } from './metadata';

/** Layer types the lab builds, and so can run and export; anything else is refused at load. */
export const RUNNABLE_LAYERS: ReadonlySet<string> = new Set([
  'InputLayer', 'LSTM', 'Dense', 'Dropout',
  'Reshape', 'Conv2D', 'Conv1D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'MaxPooling1D',
  'GlobalAveragePooling2D', 'GlobalAveragePooling1D',
]);
/** Far above the form's largest sizes, far below what would allocate gigabytes while building. */
const MAX_UNITS = 8192;
const MAX_LAYERS = 64;
const MAX_KERNEL = 64;

const wholeUpTo = (n: unknown, max: number): boolean => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max;

interface LayerJson {
  class_name?: unknown;
  config?: { units?: unknown; activation?: unknown; batch_input_shape?: unknown; [k: string]: unknown };
}

/**
 * Checks model.json's topology before TensorFlow.js builds anything from it: a Sequential or
 * functional model of layers the lab runs, sizes in range, a softmax over exactly the genres the
 * metadata names. Building a layer allocates its weights, so a Dense of 10⁹ units must be refused
 * here, not discovered by running out of memory. Returns why it cannot be used, or undefined.
 */
export function topologyProblem(modelJson: unknown, metadata: Pick<ModelMetadata, 'genres'>): string | undefined {
  const topology = (modelJson as { modelTopology?: Record<string, unknown> } | null)?.modelTopology;
  if (!topology || typeof topology !== 'object') return 'model.json is not a TensorFlow.js layers model (no modelTopology)';
  const root = (topology.model_config ?? topology) as { class_name?: unknown; config?: { layers?: unknown } };
  if (!['Sequential', 'Model', 'Functional'].includes(String(root.class_name))) {
    return `model.json holds a ${JSON.stringify(root.class_name)}, not a Sequential or functional model`;
  }
  const layers = root.config?.layers;
  if (!Array.isArray(layers) || layers.length === 0) return 'model.json lists no layers';
  if (layers.length > MAX_LAYERS) return `model.json lists ${layers.length} layers; the lab runs models of up to ${MAX_LAYERS}`;
  for (const [i, layer] of (layers as LayerJson[]).entries()) {
    const type = String(layer?.class_name);
    if (!RUNNABLE_LAYERS.has(type)) return `layer ${i + 1} is a ${type}, which the lab cannot run (it runs ${[...RUNNABLE_LAYERS].join(', ')})`;
    for (const size of ['units', 'filters'] as const) {
      const n = layer.config?.[size];
      if (n !== undefined && !wholeUpTo(n, MAX_UNITS)) return `layer ${i + 1} (${type}) has ${JSON.stringify(n)} ${size}; the lab runs layers of 1 to ${MAX_UNITS}`;
    }
    const kernel = layer.config?.kernel_size;
    const sides = Array.isArray(kernel) ? kernel : kernel === undefined ? [] : [kernel];
    if (sides.some((k) => !wholeUpTo(k, MAX_KERNEL))) {
      return `layer ${i + 1} (${type}) has a kernel of ${JSON.stringify(kernel)}; the lab runs kernels of 1 to ${MAX_KERNEL} a side`;
    }
  }
  const last = layers[layers.length - 1] as LayerJson;
  if (last.class_name !== 'Dense' || last.config?.activation !== 'softmax') {
    return 'the last layer must be a Dense layer with a softmax, giving one probability per genre';
  }
  if (last.config.units !== metadata.genres.length) {
    return `the model has ${String(last.config.units)} outputs but its metadata names ${metadata.genres.length} genres`;
  }
  return undefined;
}
