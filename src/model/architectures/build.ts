import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from './config';
import { asSpec, type LstmSpec, type ModelSpec } from './spec';
import { buildCnn, buildConv1d } from './conv-models';
import { SeededInitializers } from './initializers';
import { registerLabKernels } from './register-kernels';

/**
 * The spec's network as a Keras-style layers model compiled with Adam (a stored config is read as
 * its spec), its starting weights drawn from `seed`: the same seed, the same weights, on any backend.
 */
export function buildModel(model: ModelSpec | ModelConfig, seed = 0): tf.LayersModel {
  registerLabKernels();
  const spec = asSpec(model);
  const init = new SeededInitializers(seed);
  const built = spec.kind === 'cnn2d' ? buildCnn(spec, init) : spec.kind === 'conv1d' ? buildConv1d(spec, init) : buildLstm(spec, init);
  compileModel(built, spec.learningRate);
  return built;
}

/** LSTM(64, seq) → LSTM(64) → Dense(64, relu) → Dropout(0.3) → Dense(classes, softmax). */
function buildLstm(c: LstmSpec, init: SeededInitializers): tf.Sequential {
  const model = tf.sequential();
  c.lstmUnits.forEach((units, i) => {
    model.add(tf.layers.lstm({
      units,
      returnSequences: i < c.lstmUnits.length - 1,
      // Keras's defaults, which the reference recipe trained with (tfjs defaults to hard sigmoid
      // and glorotNormal). The forget-gate bias of 1 (Keras's unit_forget_bias) is set below.
      recurrentActivation: 'sigmoid',
      kernelInitializer: init.glorotUniform(),
      recurrentInitializer: init.orthogonal(),
      ...(i === 0 ? { inputShape: [c.frames, c.coefficients] } : {}),
    }));
  });
  // Glorot uniform, Keras's default for dense layers (tfjs's is Glorot normal).
  model.add(tf.layers.dense({ units: c.denseUnits, activation: 'relu', kernelInitializer: init.glorotUniform() }));
  model.add(tf.layers.dropout({ rate: c.dropout }));
  model.add(tf.layers.dense({ units: c.classes, activation: 'softmax', kernelInitializer: init.glorotUniform() }));
  // tfjs's own unitForgetBias initialiser leaves 4 tensors behind per layer; this leaves none.
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'LSTM') continue;
    const bias = layer.trainableWeights[2].read() as tf.Variable;
    const units = bias.shape[0] / 4;
    tf.tidy(() => bias.assign(tf.concat([tf.zeros([units]), tf.ones([units]), tf.zeros([2 * units])])));
  }
  return model;
}

export function compileModel(model: tf.LayersModel, learningRate: number): void {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

export interface LayerRow {
  name: string;
  type: string;
  outputShape: string;
  params: number;
}

/** The model summary as rows, for a table in the page or lines in a terminal. */
export function summarize(model: tf.LayersModel): LayerRow[] {
  return model.layers.map((l) => ({
    name: l.name,
    type: l.getClassName(),
    outputShape: JSON.stringify(l.outputShape).replace(/null/g, 'batch'),
    params: l.countParams(),
  }));
}
