/** The bridge from a tfjs model and its metadata to the plain functions of occlusion.ts. */
import * as tf from '@tensorflow/tfjs';
import { applyStandardization } from '../model/data/standardize';
import { specOfModel } from '../model/architectures/spec-of-model';
import { CnnModel } from '../model/engines/simd-cnn/cnn-model';
import { cnnPlanOf } from '../model/engines/simd-cnn/cnn-plan';
import type { ModelMetadata } from '../saving/metadata';
import type { Baseline, Predict } from './occlusion';

/** The segments scaled as the model was trained (copies; the caller's stay as they are). */
export function standardized(segments: Float32Array[], metadata: ModelMetadata): Float32Array[] {
  const [frames, coefficients] = metadata.inputShape;
  return segments.map((s) => {
    if (s.length !== frames * coefficients) throw new Error(`a segment has ${s.length} values; the model takes ${frames} × ${coefficients}`);
    const x = Float32Array.from(s);
    if (metadata.standardization) applyStandardization(x, metadata.standardization, coefficients);
    return x;
  });
}

/** With standardisation the training mean is 0, the model's own "nothing here"; without it the segment's mean. */
export function defaultBaseline(metadata: ModelMetadata): Baseline {
  return metadata.standardization ? 'training-mean' : 'segment-mean';
}

export function layersPredict(model: tf.LayersModel, frames: number, coefficients: number): Predict {
  return async (x, count) => {
    const out = tf.tidy(() => model.predict(tf.tensor3d(x.slice(0, count * frames * coefficients), [count, frames, coefficients])) as tf.Tensor);
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  };
}

/**
 * The fastest forward pass this model has here: the lab's WebAssembly SIMD CNN kernel for its
 * CNNs on the WASM and CPU backends (the one training uses), else tfjs's own predict.
 */
export function fastestPredict(model: tf.LayersModel, frames: number, coefficients: number): Predict {
  const spec = CnnModel.runsHere() ? specOfModel(model) : undefined;
  const plan = spec && spec.kind !== 'lstm' ? cnnPlanOf(spec) : undefined;
  if (!plan) return layersPredict(model, frames, coefficients);
  const fast = new CnnModel(model, plan);
  return (x, count) => fast.predictValues(x.subarray(0, count * frames * coefficients), count, frames, coefficients);
}

