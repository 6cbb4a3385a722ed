import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/architectures/build';
import { modelToFiles } from '../../../src/saving/artifacts';
import { countWeights } from '../../../src/saving/topology-size';

const layersOf = (json: unknown) => (json as { modelTopology: { config: { layers: never[] } } }).modelTopology.config.layers;

describe('the weights a model.json describes, counted from its topology alone', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('equals what TensorFlow.js builds, for every architecture the lab makes', async () => {
    for (const [architecture, coefficients] of [['lstm', 13], ['cnn', 64], ['cnn', 13], ['conv1d', 13], ['conv1d', 64]] as const) {
      const model = buildModel({ frames: 130, coefficients, classes: 10, architecture, filters: 8, lstmUnits: [16, 8], denseUnits: 12, dropout: 0.3, learningRate: 1e-3 });
      const files = await modelToFiles(model);
      expect(countWeights(layersOf(files.modelJson)), `${architecture} on ${coefficients}`).toEqual({ weights: model.countParams() });
      expect(files.weights.byteLength).toBe(4 * model.countParams());
      model.dispose();
    }
  });

  it('60 dense layers of 8 192 units are counted (4 × 10⁹ weights) without building anything', () => {
    const layers = [
      { class_name: 'Dense', config: { units: 8192, activation: 'relu', batch_input_shape: [null, 130, 13] } },
      ...Array.from({ length: 59 }, () => ({ class_name: 'Dense', config: { units: 8192, activation: 'relu' } })),
    ];
    expect(countWeights(layers)).toEqual({ weights: (13 * 8192 + 8192) + 59 * (8192 * 8192 + 8192) });
  });

  it('names what it cannot count', () => {
    expect(countWeights([{ class_name: 'Dense', config: { units: 3 } }])).toEqual({ problem: 'layer 1 (Dense) comes before any input shape' });
    expect(countWeights([{ class_name: 'Dense', config: { batch_input_shape: [null, 4], units: 'x' } }])).toEqual({ problem: 'layer 1 (Dense) gives an output of shape [null], which holds no values' });
    expect(countWeights([{ class_name: 'MaxPooling1D', config: { batch_input_shape: [null, 1, 4], pool_size: 2 } }])).toEqual({ problem: 'layer 1 (MaxPooling1D) gives an output of shape [0,4], which holds no values' });
  });
});
