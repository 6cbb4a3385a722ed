import type * as tf from '@tensorflow/tfjs';

/**
 * Plain-loop kernels' way into a backend's own buffers: tfjs-cpu's Float32Arrays, tfjs-wasm's
 * heap. Used by the fused LSTM steps and by the convolutions' filter gradient.
 */
export interface JsBackendAccess {
  read(t: tf.TensorInfo): Float32Array;
  /** Allocates outputs first: on WASM a new output can grow (and move) the heap. */
  outputs(shapes: number[][]): { infos: tf.TensorInfo[]; arrays: () => Float32Array[] };
}

export function cpuAccess(backend: tf.KernelBackend): JsBackendAccess {
  const b = backend as unknown as {
    data: { get(id: unknown): { values: Float32Array } };
    makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
  };
  return {
    read: (t) => b.data.get(t.dataId).values,
    outputs: (shapes) => {
      const arrays = shapes.map((s) => new Float32Array(s.reduce((a, c) => a * c, 1)));
      return { infos: shapes.map((s, i) => b.makeTensorInfo(s, 'float32', arrays[i])), arrays: () => arrays };
    },
  };
}

export function wasmAccess(backend: tf.KernelBackend): JsBackendAccess {
  const b = backend as unknown as {
    typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
    makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  };
  return {
    read: (t) => b.typedArrayFromHeap(t),
    outputs: (shapes) => {
      const infos = shapes.map((s) => b.makeOutput(s, 'float32'));
      return { infos, arrays: () => infos.map((i) => b.typedArrayFromHeap(i)) };
    },
  };
}
