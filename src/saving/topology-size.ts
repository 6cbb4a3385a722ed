/**
 * The weights a model.json's layers would allocate, worked out from the topology alone: building
 * a layer allocates its weights, so a model of 60 dense layers of 8 192 units (4 × 10⁹ weights)
 * must be refused from its description, before TensorFlow.js tries. Layers run in their
 * listed order, as predict.py runs them; python/gtzan_lab/model_reading.py counts the same way.
 */

interface LayerJson {
  class_name?: unknown;
  config?: Record<string, unknown>;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const whole = (v: unknown): number => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : NaN);

/**
 * The model's weight count, or why it cannot be counted (an input shape missing, a layer whose
 * input has no channels). Shapes are per example, without the batch.
 */
export function countWeights(layers: readonly LayerJson[]): { weights: number } | { problem: string } {
  let shape: number[] | undefined;
  let weights = 0;
  for (const [i, layer] of layers.entries()) {
    const type = String(layer?.class_name);
    const c = layer?.config ?? {};
    const given = c.batch_input_shape ?? c.batchInputShape;
    if (Array.isArray(given)) shape = given.slice(1).map((d) => whole(d));
    if (!shape) return { problem: `layer ${i + 1} (${type}) comes before any input shape` };
    const last = shape[shape.length - 1];
    const bias = (key = 'use_bias') => (c[key] === false ? 0 : 1);
    switch (type) {
      case 'InputLayer': case 'Dropout': case 'Activation':
        break;
      case 'Reshape':
        shape = asList(c.target_shape).map(whole);
        break;
      case 'Dense': {
        const units = whole(c.units);
        weights += last * units + bias() * units;
        shape = [...shape.slice(0, -1), units];
        break;
      }
      case 'LSTM': {
        const units = whole(c.units);
        weights += 4 * units * (last + units + bias());
        shape = c.return_sequences ? [shape[0], units] : [units];
        break;
      }
      case 'Conv1D': case 'Conv2D': {
        const filters = whole(c.filters);
        const kernel = asList(c.kernel_size).map(whole);
        const sides = type === 'Conv1D' ? 1 : 2;
        const area = Array.from({ length: sides }, (_, k) => kernel[k] ?? kernel[0]).reduce((a, b) => a * b, 1);
        weights += area * last * filters + bias() * filters;
        shape = [...shape.slice(0, -1), filters];
        break;
      }
      case 'BatchNormalization':
        weights += last * (2 + (c.scale === false ? 0 : 1) + (c.center === false ? 0 : 1));
        break;
      case 'MaxPooling1D': case 'MaxPooling2D': {
        const pool = asList(c.pool_size).map(whole);
        shape = shape.map((d, k) => (k < shape!.length - 1 ? Math.floor(d / (pool[k] ?? pool[0] ?? 1)) : d));
        break;
      }
      case 'GlobalAveragePooling1D': case 'GlobalAveragePooling2D':
        shape = [last];
        break;
      default:
        return { problem: `layer ${i + 1} is a ${type}, whose weights the lab cannot count` };
    }
    if (shape.some((d) => !(d >= 1))) return { problem: `layer ${i + 1} (${type}) gives an output of shape ${JSON.stringify(shape)}, which holds no values` };
    if (!Number.isFinite(weights)) return { problem: `layer ${i + 1} (${type}) is missing a size` };
  }
  return { weights };
}
