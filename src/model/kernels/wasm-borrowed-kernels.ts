import * as tf from '@tensorflow/tfjs';

/**
 * Gradient kernels tfjs's WASM backend lacks, which the convolutional networks' training needs.
 * Each runs the CPU backend's own kernel on copies of its inputs and copies the outputs back to
 * the WASM heap: the numbers are tfjs's, and only these few steps leave WASM's SIMD code. The
 * convolutions' gradients are our own (conv-gradient-kernels.ts).
 */
export const BORROWED_KERNELS = ['MaxPoolGrad', 'AvgPoolGrad'] as const;

interface WasmHeap {
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

interface CpuData {
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  disposeData(dataId: tf.DataId): void;
}

export function registerBorrowedKernels(): void {
  for (const kernelName of BORROWED_KERNELS) {
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    if (!cpuKernel || tf.getKernel(kernelName, 'wasm')) continue;
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const wasm = backend as unknown as WasmHeap;
        const cpu = tf.findBackend('cpu') as unknown as CpuData & tf.KernelBackend;
        const onCpu: Record<string, tf.TensorInfo> = {};
        for (const [name, t] of Object.entries(inputs as Record<string, tf.TensorInfo>)) {
          onCpu[name] = { dataId: cpu.write(wasm.typedArrayFromHeap(t).slice(), t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
        }
        const result = cpuKernel.kernelFunc({ inputs: onCpu, attrs, backend: cpu });
        const outs = Array.isArray(result) ? result : [result];
        // Allocate every output before writing any: a new output can grow (and move) the heap.
        const infos = outs.map((o) => wasm.makeOutput(o.shape, o.dtype));
        infos.forEach((info, i) => { wasm.typedArrayFromHeap(info).set(cpu.readSync(outs[i].dataId) as tf.TypedArray); });
        for (const t of [...Object.values(onCpu), ...outs]) cpu.disposeData(t.dataId);
        return Array.isArray(result) ? infos : infos[0];
      },
    });
  }
}
