import * as tf from '@tensorflow/tfjs';

/**
 * A layers model as the two files TensorFlow.js writes: model.json (topology plus a weights
 * manifest pointing at weights.bin) and weights.bin. Loadable with tf.loadLayersModel anywhere.
 */
export interface ModelFiles {
  modelJson: ModelJson;
  weights: ArrayBuffer;
}

export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function concat(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

export async function modelToFiles(model: tf.LayersModel): Promise<ModelFiles> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    captured = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!captured?.modelTopology || !captured.weightSpecs || !captured.weightData) throw new Error('the model could not be serialised');
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: captured.modelTopology as object,
      weightsManifest: [{ paths: ['weights.bin'], weights: captured.weightSpecs }],
    },
    weights: concat(captured.weightData as ArrayBuffer | ArrayBuffer[]),
  };
}

export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** Loads model.json + weights.bin with tf.loadLayersModel, with a clear message when they do not fit. */
export async function modelFromFiles(modelJson: unknown, weights: ArrayBuffer): Promise<tf.LayersModel> {
  const j = modelJson as Partial<ModelJson> | null;
  if (!j || typeof j !== 'object' || !j.modelTopology || !Array.isArray(j.weightsManifest)) {
    throw new ModelFileError('model.json is not a TensorFlow.js layers model (no modelTopology or weightsManifest)');
  }
  const weightSpecs = j.weightsManifest.flatMap((g) => g.weights);
  const expected = weightSpecs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (expected !== weights.byteLength) {
    throw new ModelFileError(`weights.bin has ${weights.byteLength} bytes but model.json describes ${expected}`);
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: j.modelTopology, weightSpecs, weightData: weights }));
  } catch (e) {
    throw new ModelFileError(`model.json could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
}
