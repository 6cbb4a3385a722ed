import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../src/dsp/settings';
import { modelToFiles, type ModelFiles } from '../../../../src/model/files/artifacts';
import { buildModel } from '../../../../src/model/architectures/build';
import { modelMismatch } from '../../../../src/model/evaluation/classify';
import { parseMetadata, type ModelMetadata } from '../../../../src/model/files/metadata';
import { topologyProblem } from '../../../../src/model/files/model-check';
import { unzipModel, zipModel } from '../../../../src/model/files/model-zip';

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

  it('refuses layers the lab cannot run, absurd sizes and outputs that are not one probability per genre (red-team cases 27, 28)', () => {
    expect(topologyProblem(withLayer(files, 1, (l) => (l.class_name = 'EvilLayer')), metadata)).toMatch(/layer 2 is a EvilLayer, which the lab cannot run/);
    expect(topologyProblem(withLayer(files, 2, (l) => (l.config.units = 1e9)), metadata)).toMatch(/layer 3 \(Dense\) has 1000000000 units/);
    expect(topologyProblem(withLayer(files, -1, (l) => (l.config.activation = 'linear')), metadata)).toMatch(/softmax/);
    expect(topologyProblem(files.modelJson, { genres: ['a', 'b'] })).toMatch(/3 outputs but its metadata names 2 genres/);
    expect(topologyProblem({ modelTopology: { class_name: 'Sequential', config: { layers: [] } } }, metadata)).toMatch(/no layers/);
    expect(topologyProblem({}, metadata)).toMatch(/no modelTopology/);
  });

  it('refuses a Dense-only model whose output has a time axis, which would read garbage probabilities (red-team case 27)', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [130, 13], units: 3, activation: 'softmax' })] });
    expect(modelMismatch(m, metadata)).toMatch(/output of shape \[130,3\] per segment, not one probability per genre/);
    m.dispose();
  });

  it('refuses metadata whose standardisation would divide by zero or by text (red-team case 31)', () => {
    expect(() => parseMetadata({ ...metadata, standardization: { mean: Array(13).fill(0), std: Array(13).fill(0) } })).toThrow(/every deviation a positive one/);
    expect(() => parseMetadata({ ...metadata, standardization: { mean: Array(13).fill('0'), std: Array(13).fill(1) } })).toThrow(/every mean must be a finite number/);
    expect(() => parseMetadata({ ...metadata, features: { ...DEFAULT_SETTINGS, nMels: 4000000 } })).toThrow(/nMels must be from 1 to 512/);
    expect(parseMetadata(metadata).genres).toEqual(genres);
  });

  it('inflates only the three files of a zip, after checking the sizes they declare (red-team cases 24, 25)', () => {
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
  });
});
