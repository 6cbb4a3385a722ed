import type * as tf from '@tensorflow/tfjs';
import type { DenseLayer } from '../kernels/dense-math';

/**
 * One block of the lab's CNNs: convolution (stride 1, 'same', no bias) → batch normalisation →
 * ReLU → max-pooling. A 1-D convolution over time is a 2-D one over a single row.
 */
export interface ConvBlock {
  /** The block's input: height (time; 1 for the 1-D CNN), width (frequency; time for the 1-D CNN), channels. */
  H: number;
  W: number;
  cin: number;
  cout: number;
  kh: number;
  kw: number;
  /** Pooling window (and stride). */
  ph: number;
  pw: number;
  /** Indices in the trainable weights: filter [kh, kw, cin, cout], γ, β. */
  filter: number;
  gamma: number;
  beta: number;
  /** Indices in the moving statistics: mean, variance. */
  movingMean: number;
  movingVariance: number;
  epsilon: number;
  momentum: number;
}

/** A CNN the fast path runs: blocks, global average pooling, dense layers with dropout before the last. */
export interface CnnSpec {
  frames: number;
  coefficients: number;
  blocks: ConvBlock[];
  denses: DenseLayer[];
  dropout: number;
  classes: number;
}

const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

/**
 * The spec of a model built by conv-models.ts, and its trainable and moving variables in the
 * order the spec's indices use (the model's own order); throws for a model of another shape.
 */
export function cnnSpecOf(model: tf.LayersModel): { spec: CnnSpec; trainable: tf.Variable[]; moving: tf.Variable[] } {
  const input = model.inputs[0].shape;
  const frames = input[1] ?? 0;
  const coefficients = input[2] ?? 0;
  const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const moving: tf.Variable[] = [];
  const blocks: ConvBlock[] = [];
  const denses: DenseLayer[] = [];
  let dropout = 0;
  // The activation's shape as it flows: [H, W, C]. A sequence is one row of `frames` positions,
  // so the kernel's tiles of four neighbouring positions run along time.
  let shape: [number, number, number] = [1, frames, coefficients];
  let pending: Partial<ConvBlock> | undefined;
  const at = (l: tf.layers.Layer, i: number) => trainable.indexOf(l.trainableWeights[i].read() as tf.Variable);
  for (const layer of model.layers) {
    const name = layer.getClassName();
    const c = layer.getConfig() as Record<string, unknown>;
    if (name === 'Reshape') {
      const t = c.targetShape as number[];
      if (t.length !== 3 || t[2] !== 1) throw new Error('the fast CNN takes a reshape to [time, frequency, 1] only');
      shape = [t[0], t[1], 1];
    } else if (name === 'Conv2D' || name === 'Conv1D') {
      if (pending) throw new Error('the fast CNN needs batch normalisation after each convolution');
      const [kh, kw] = name === 'Conv1D' ? [1, pair(c.kernelSize as number)[0]] : pair(c.kernelSize as number[]);
      const strides = pair(c.strides as number[]);
      if (c.padding !== 'same' || strides[0] !== 1 || strides[1] !== 1 || c.useBias || kh % 2 === 0 || kw % 2 === 0) {
        throw new Error('the fast CNN runs odd kernels at stride 1 with same padding and no bias');
      }
      const cout = c.filters as number;
      if (cout % 4 !== 0 || cout > 4096) throw new Error('the fast CNN needs filters in fours, at most 4 096');
      pending = { H: shape[0], W: shape[1], cin: shape[2], cout, kh, kw, filter: at(layer, 0) };
      shape = [shape[0], shape[1], cout];
    } else if (name === 'BatchNormalization') {
      if (!pending || c.center === false || c.scale === false) throw new Error('the fast CNN needs a full batch normalisation after each convolution');
      const v = layer.weights.map((w) => w.read() as tf.Variable);
      moving.push(v[2], v[3]);
      Object.assign(pending, {
        gamma: at(layer, 0), beta: at(layer, 1), movingMean: moving.length - 2, movingVariance: moving.length - 1,
        epsilon: Number(c.epsilon ?? 1e-3), momentum: Number(c.momentum ?? 0.99),
      });
    } else if (name === 'Activation') {
      if (c.activation !== 'relu' || pending?.gamma === undefined) throw new Error('the fast CNN needs ReLU after batch normalisation');
    } else if (name === 'MaxPooling2D' || name === 'MaxPooling1D') {
      if (!pending) throw new Error('the fast CNN pools only at the end of a block');
      const [ph, pw] = name === 'MaxPooling1D' ? [1, pair(c.poolSize as number)[0]] : pair(c.poolSize as number[]);
      const strides = name === 'MaxPooling1D' ? [1, pair(c.strides as number)[0]] : pair(c.strides as number[]);
      if (strides[0] !== ph || strides[1] !== pw || c.padding !== 'valid') throw new Error('the fast CNN pools with strides equal to the window');
      blocks.push({ ...pending, ph, pw } as ConvBlock);
      pending = undefined;
      shape = [Math.floor(shape[0] / ph), Math.floor(shape[1] / pw), shape[2]];
    } else if (name === 'GlobalAveragePooling2D' || name === 'GlobalAveragePooling1D') {
      shape = [1, 1, shape[2]];
    } else if (name === 'Dropout') {
      dropout = Number(c.rate ?? 0);
    } else if (name === 'Dense') {
      denses.push({ units: c.units as number, relu: c.activation === 'relu', kernel: at(layer, 0), bias: at(layer, 1) });
    } else {
      throw new Error(`the fast CNN does not know layer ${name}`);
    }
  }
  if (pending || blocks.length === 0 || denses.length === 0) throw new Error('the model is not one of the lab\'s CNNs');
  return { spec: { frames, coefficients, blocks, denses, dropout, classes: denses[denses.length - 1].units }, trainable, moving };
}
