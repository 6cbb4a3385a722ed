import type * as tf from '@tensorflow/tfjs';
import { buildModel } from './build';
import type { ModelSpec } from './spec';

/** The layer settings that make a network what it is (names, initialisers and dtypes aside). */
const SHAPING = ['units', 'filters', 'kernelSize', 'strides', 'padding', 'poolSize', 'activation', 'recurrentActivation', 'returnSequences',
  'useBias', 'rate', 'targetShape', 'center', 'scale', 'epsilon', 'momentum'] as const;

const signature = (layer: tf.layers.Layer): string => {
  const c = layer.getConfig() as Record<string, unknown>;
  return JSON.stringify([layer.getClassName(), SHAPING.map((k) => c[k] ?? null), layer.weights.map((w) => w.shape)]);
};

/** The spec a model's own layers suggest (its first layer tells the kind), not yet checked. */
function candidate(model: tf.LayersModel): ModelSpec | undefined {
  const [, frames, coefficients] = model.inputs[0].shape as [null, number, number];
  const config = (name: string) => model.layers.find((l) => l.getClassName() === name)?.getConfig() as Record<string, number> | undefined;
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => (l.getConfig() as { units: number }).units);
  if (dense.length === 0) return undefined;
  const base = { frames, coefficients, classes: dense[dense.length - 1], dropout: Number(config('Dropout')?.rate ?? 0), learningRate: 1e-3 };
  const first = model.layers[0]?.getClassName();
  if (first === 'LSTM') {
    const lstmUnits = model.layers.filter((l) => l.getClassName() === 'LSTM').map((l) => (l.getConfig() as { units: number }).units);
    return { kind: 'lstm', ...base, lstmUnits, denseUnits: dense[0] };
  }
  if (first === 'Reshape' && config('Conv2D')) return { kind: 'cnn2d', ...base, filters: config('Conv2D')!.filters };
  if (first === 'Conv1D') return { kind: 'conv1d', ...base, filters: config('Conv1D')!.filters / 2, denseUnits: dense[0] };
  return undefined;
}

/**
 * The spec a loaded model was built from, when it is one of the lab's networks exactly: the
 * layers, their settings and their weights' shapes those buildModel gives for it. Undefined for
 * anything else (a model made elsewhere), which then runs through tfjs's own layers.
 */
export function specOfModel(model: tf.LayersModel): ModelSpec | undefined {
  const spec = candidate(model);
  if (
    !spec ||
    !Number.isInteger(spec.frames) ||
    !Number.isInteger(spec.coefficients) ||
    ('filters' in spec && !Number.isInteger(spec.filters))
  )
    return undefined;
  const reference = buildModel(spec);
  try {
    const same = reference.layers.length === model.layers.length && reference.layers.every((l, i) => signature(l) === signature(model.layers[i]));
    return same ? spec : undefined;
  } finally {
    reference.optimizer?.dispose();
    reference.dispose();
  }
}
