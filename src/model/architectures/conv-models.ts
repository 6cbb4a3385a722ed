import * as tf from '@tensorflow/tfjs';
import type { Cnn2dSpec, Conv1dSpec } from './spec';
import type { SeededInitializers } from './initializers';

/** Blocks of the 2-D CNN; each halves time (and frequency while there are two rows or more). */
const CNN_BLOCKS = 4;
/** Blocks of the 1-D CNN; each halves time. */
const CONV1D_BLOCKS = 3;

/**
 * A compact 2-D CNN over a segment's time × coefficient matrix, the field's usual baseline for
 * genre recognition: four blocks of 3×3 convolution, batch normalisation, ReLU and max-pooling
 * (filters doubling from `filters`), global average pooling, dropout, softmax. Pooling keeps the
 * frequency axis once it is down to one row: 13 MFCCs halve only three times.
 */
export function buildCnn(c: Cnn2dSpec, init: SeededInitializers): tf.Sequential {
  const filters = c.filters;
  const model = tf.sequential();
  model.add(tf.layers.reshape({ targetShape: [c.frames, c.coefficients, 1], inputShape: [c.frames, c.coefficients] }));
  let rows = c.coefficients;
  for (let b = 0; b < CNN_BLOCKS; b++) {
    model.add(tf.layers.conv2d({ filters: filters * 2 ** b, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init.heNormal() }));
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.activation({ activation: 'relu' }));
    const poolRows = rows >= 2 ? 2 : 1;
    model.add(tf.layers.maxPooling2d({ poolSize: [2, poolRows], strides: [2, poolRows] }));
    rows = Math.floor(rows / poolRows);
  }
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: c.dropout }));
  model.add(tf.layers.dense({ units: c.classes, activation: 'softmax', kernelInitializer: init.glorotUniform() }));
  return model;
}

/**
 * A 1-D CNN over time with the coefficients as channels (as in Dieleman & Schrauwen's
 * end-to-end and many MFCC baselines): three blocks of width-5 convolution, batch normalisation,
 * ReLU and max-pooling, global average pooling, a dense layer, dropout, softmax.
 */
export function buildConv1d(c: Conv1dSpec, init: SeededInitializers): tf.Sequential {
  const filters = c.filters;
  const model = tf.sequential();
  for (let b = 0; b < CONV1D_BLOCKS; b++) {
    model.add(tf.layers.conv1d({
      filters: filters * 2 ** (b + 1), kernelSize: 5, padding: 'same', useBias: false, kernelInitializer: init.heNormal(),
      ...(b === 0 ? { inputShape: [c.frames, c.coefficients] } : {}),
    }));
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.activation({ activation: 'relu' }));
    model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  }
  model.add(tf.layers.globalAveragePooling1d({}));
  model.add(tf.layers.dense({ units: c.denseUnits, activation: 'relu', kernelInitializer: init.glorotUniform() }));
  model.add(tf.layers.dropout({ rate: c.dropout }));
  model.add(tf.layers.dense({ units: c.classes, activation: 'softmax', kernelInitializer: init.glorotUniform() }));
  return model;
}
