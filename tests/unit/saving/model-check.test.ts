import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { modelToFiles, type ModelFiles } from '../../../src/saving/artifacts';
import { buildModel } from '../../../src/model/architectures/build';
import { modelMismatch } from '../../../src/evaluation/classify';
import { parseMetadata, type ModelMetadata } from '../../../src/saving/metadata';
import { checkModelFiles, topologyProblem, weightsProblem } from '../../../src/saving/model-check';
import { unzipModel, zipModel } from '../../../src/saving/model-zip';

const genres = ['blues', 'jazz', 'rock'];
const metadata = {
  format: 'gtzan-lab-model', version: 1, genres, features: { ...DEFAULT_SETTINGS }, inputShape: [130, 13],
  standardization: { mean: Array(13).fill(0), std: Array(13).fill(1) },
} as unknown as ModelMetadata;

/** The model.json topology with one layer's config changed. */
function withLayer(files: ModelFiles, index: number, change: (layer: { class_name: string; config: Record<string, unknown> }) => void): unknown {
  const json = JSON.parse(JSON.stringify(files.modelJson));
  const layers = json.modelTopology.config.layers;
  change(layers[index < 0 ? layers.length + index : index]);
  return json;
}

/** Sets the uncompressed size a zip's central directory declares for one entry, as a lying zip would. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 46 < out.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(i + 28, true);
    if (new TextDecoder().decode(out.subarray(i + 46, i + 46 + nameLength)) === name) view.setUint32(i + 24, size, true);
  }
  return out;
}

describe('a model is checked when it is loaded', () => {
  let files: ModelFiles;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    files = await modelToFiles(buildModel({ frames: 130, coefficients: 13, classes: 3, lstmUnits: [8, 8], denseUnits: 8, dropout: 0.3, learningRate: 1e-3 }));
  });

  it('accepts the lab\'s own model', () => {
    expect(topologyProblem(files.modelJson, metadata)).toBeUndefined();
  });

  it('refuses layers the lab cannot run, absurd sizes and outputs that are not one probability per genre', () => {
    expect(topologyProblem(withLayer(files, 1, (l) => (l.class_name = 'EvilLayer')), metadata)).toMatch(/layer 2 is a EvilLayer, which the lab cannot run/);
    expect(topologyProblem(withLayer(files, 2, (l) => (l.config.units = 1e9)), metadata)).toMatch(/layer 3 \(Dense\) has 1000000000 units/);
    expect(topologyProblem(withLayer(files, -1, (l) => (l.config.activation = 'linear')), metadata)).toMatch(/softmax/);
    expect(topologyProblem(files.modelJson, { genres: ['a', 'b'] })).toMatch(/3 outputs but its metadata names 2 genres/);
    expect(topologyProblem({ modelTopology: { class_name: 'Sequential', config: { layers: [] } } }, metadata)).toMatch(/no layers/);
    expect(topologyProblem({}, metadata)).toMatch(/no modelTopology/);
  });

  it('refuses a Dense-only model whose output has a time axis, which would read garbage probabilities', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [130, 13], units: 3, activation: 'softmax' })] });
    expect(modelMismatch(m, metadata)).toMatch(/output of shape \[130,3\] per segment, not one probability per genre/);
    m.dispose();
  });

  it('refuses metadata whose standardisation would divide by zero or by text', () => {
    expect(() => parseMetadata({ ...metadata, standardization: { mean: Array(13).fill(0), std: Array(13).fill(0) } })).toThrow(/every deviation a number of at least 1e-6/);
    expect(() => parseMetadata({ ...metadata, standardization: { mean: Array(13).fill('0'), std: Array(13).fill(1) } })).toThrow(/every mean must be a finite number/);
    expect(() => parseMetadata({ ...metadata, features: { ...DEFAULT_SETTINGS, nMels: 4000000 } })).toThrow(/nMels must be from 1 to 512/);
    expect(parseMetadata(metadata).genres).toEqual(genres);
  });

  it('weights that are NaN or infinite are refused when the model is loaded', () => {
    const withValue = (i: number, v: number) => {
      const w = new Float32Array(files.weights.slice(0));
      w[i] = v;
      return w.buffer;
    };
    const n = files.weights.byteLength / 4;
    expect(weightsProblem(files.weights)).toBeUndefined();
    expect(weightsProblem(withValue(n - 1, NaN))).toBe(`weights.bin holds NaN (value ${n} of ${n}): a model with such a weight gives no probabilities`);
    expect(weightsProblem(withValue(0, Infinity))).toMatch(/^weights.bin holds Infinity \(value 1 of/);
    expect(() => checkModelFiles({ modelJson: files.modelJson, weights: withValue(5, -Infinity), metadata })).toThrow(/weights.bin holds -Infinity \(value 6 of/);
    expect(checkModelFiles({ modelJson: files.modelJson, weights: files.weights, metadata }).metadata.genres).toEqual(genres);
  });

  it('a topology of billions of weights, or one weights.bin does not match, is refused before anything is built', () => {
    const huge = withLayer(files, 2, (l) => (l.config.units = 8192));
    const json = huge as { modelTopology: { config: { layers: unknown[] } } };
    const dense = json.modelTopology.config.layers[2];
    json.modelTopology.config.layers.splice(3, 0, ...Array.from({ length: 59 }, (_, i) => ({ class_name: 'Dense', config: { ...(dense as { config: object }).config, name: `d${i}` } })));
    expect(topologyProblem(huge, metadata)).toMatch(/^model.json describes a model of 3,\d{3},\d{3},\d{3} weights; the lab runs models of up to 134,217,728$/);
    expect(topologyProblem(files.modelJson, metadata, files.weights.byteLength - 4))
      .toMatch(/^weights.bin holds [\d,]+ bytes but model.json's layers need [\d,]+ \([\d,]+ float32 weights\)$/);
    const fewerListed = JSON.parse(JSON.stringify(files.modelJson));
    fewerListed.weightsManifest[0].weights.pop();
    expect(topologyProblem(fewerListed, metadata)).toMatch(/^model.json's weights manifest lists [\d,]+ values but its layers have [\d,]+ weights$/);
  });

  it('an activation predict.py and the lab do not run is refused by every reader, and so is a model whose input is not its metadata\'s', () => {
    expect(topologyProblem(withLayer(files, 2, (l) => (l.config.activation = 'selu')), metadata))
      .toBe('layer 3 (Dense) uses the activation "selu"; the lab runs linear, relu, tanh, sigmoid, hard_sigmoid, softmax');
    expect(topologyProblem(withLayer(files, 0, (l) => (l.config.recurrent_activation = 'swish')), metadata)).toMatch(/layer 1 \(LSTM\) uses the activation "swish"/);
    expect(topologyProblem(files.modelJson, { ...metadata, inputShape: [259, 13] }))
      .toBe('the model takes input [130,13] but its metadata describes segments of [259, 13] (frames, coefficients)');
  });

  it('metadata whose settings do not give the shape it names is refused (the page and npm run predict alike)', () => {
    expect(() => parseMetadata({ ...metadata, inputShape: [259, 13] }))
      .toThrow('metadata.json does not add up: its feature settings give segments of [130, 13] but it says the model takes [259, 13]');
    expect(() => parseMetadata({ ...metadata, genres: ['a', ' ', 'c'] })).toThrow(/genre 2 has a blank name/);
  });

  it('inflates only the three files of a zip, after checking the sizes they declare', () => {
    const zip = zipModel(files, metadata);
    const withJunk = zipSync({
      'model.json': strToU8(JSON.stringify(files.modelJson)),
      'weights.bin': new Uint8Array(files.weights),
      'metadata.json': strToU8(JSON.stringify(metadata)),
      'junk.bin': new Uint8Array(1 << 20),
    });
    // A bomb's other entries claim 4 GB: never inflated, so never allocated.
    const bomb = declareSize(withJunk, 'junk.bin', 0xffffffff);
    expect(unzipModel(bomb).weights.byteLength).toBe(files.weights.byteLength);
    expect(() => unzipModel(declareSize(zip, 'weights.bin', 600 * 2 ** 20))).toThrow(/weights.bin is 600 MiB; the lab reads model files of up to 512 MiB/);
    // An entry that declares less than it holds is cut at what it declared, and then fails the weights check.
    expect(unzipModel(declareSize(zip, 'weights.bin', 100)).weights.byteLength).toBe(100);
    // zip64's placeholder is not a size; the message does not call it 4096 MiB.
    expect(() => unzipModel(declareSize(zip, 'weights.bin', 0xffffffff)))
      .toThrow('weights.bin does not state its size (the zip64 placeholder, 4 GiB or more); the lab reads weights.bin of up to 512 MiB');
  });
});
