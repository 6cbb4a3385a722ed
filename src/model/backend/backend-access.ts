import * as tf from '@tensorflow/tfjs';

/**
 * Plain-loop kernels' way into a backend's own buffers: tfjs-cpu's Float32Arrays, tfjs-wasm's
 * heap. Used by the convolutions' filter gradient.
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

/**
 * Puts a kernel of ours in place of `kernelName` on WASM and CPU, once: ours carry a `lab` flag,
 * and `make` gets the kernel it replaces (to hand it the cases ours do not take) and the way into
 * that backend's buffers. The replaced kernel's setup stays (tfjs-wasm binds its C function there).
 * A backend whose package is not loaded here is left alone.
 */
export function replaceKernel(
  kernelName: string, make: (theirs: tf.KernelFunc | undefined, access: (b: tf.KernelBackend) => JsBackendAccess, backendName: string) => tf.KernelFunc,
): void {
  for (const [backendName, access] of [['wasm', wasmAccess], ['cpu', cpuAccess]] as const) {
    if (!tf.getKernel('BatchMatMul', backendName)) continue;
    const current = tf.getKernel(kernelName, backendName) as (tf.KernelConfig & { lab?: boolean }) | undefined;
    if (current?.lab) continue;
    if (current) tf.unregisterKernel(kernelName, backendName);
    const kernelFunc = make(current?.kernelFunc, access, backendName);
    tf.registerKernel({ kernelName, backendName, kernelFunc, setupFunc: current?.setupFunc, lab: true } as tf.KernelConfig);
  }
}
