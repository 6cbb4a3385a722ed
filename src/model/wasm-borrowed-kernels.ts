import * as tf from '@tensorflow/tfjs';
import { cpuAccess, wasmAccess } from './backend-access';

/**
 * Gradient kernels tfjs's WASM backend lacks, which the convolutional networks' training needs.
 * Each runs the CPU backend's own kernel on copies of its inputs and copies the outputs back to
 * the WASM heap: the numbers are tfjs's, and only these few steps leave WASM's SIMD code. The
 * convolution's filter gradient is our own on both (`registerFilterGradient`): the CPU backend's
 * took 13.4 s of a 1-D CNN's batch of 32 and 21 s of the 2-D CNN's.
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
        infos.forEach((info, i) => wasm.typedArrayFromHeap(info).set(cpu.readSync(outs[i].dataId) as tf.TypedArray));
        for (const t of [...Object.values(onCpu), ...outs]) cpu.disposeData(t.dataId);
        return Array.isArray(result) ? infos : infos[0];
      },
    });
  }
}

interface FilterGradAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  dataFormat: string;
  /** tfjs passes none (its convolution gradients refuse dilations above 1). */
  dilations?: number | [number, number];
  filterShape: [number, number, number, number];
}

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);

/**
 * dW[i, j, ci, co] = Σ over batch and output positions of x(at that position shifted by i, j)
 * · dy, for NHWC at any stride and dilation, 'same', 'valid' or explicit padding. The innermost
 * loop runs along the output channels, contiguous in both dy and dW.
 */
export function filterGradient(
  x: ArrayLike<number>, xShape: number[], dy: ArrayLike<number>, dyShape: number[], a: FilterGradAttrs,
  out: Float32Array<ArrayBufferLike> = new Float32Array(a.filterShape.reduce((p, c) => p * c, 1)),
): Float32Array<ArrayBufferLike> {
  const [batch, h, w, cin] = xShape;
  const [, oh, ow, cout] = dyShape;
  const [kh, kw] = a.filterShape;
  const [sh, sw] = pair(a.strides);
  const [dh, dw] = pair(a.dilations ?? 1);
  let top = 0;
  let left = 0;
  if (a.pad === 'same') {
    top = Math.max(0, ((oh - 1) * sh + (kh - 1) * dh + 1 - h) >> 1);
    left = Math.max(0, ((ow - 1) * sw + (kw - 1) * dw + 1 - w) >> 1);
  } else if (typeof a.pad === 'number') {
    top = left = a.pad;
  }
  out.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const dyRow = ((b * oh + oy) * ow + ox) * cout;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh + i * dh - top;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw + j * dw - left;
            if (xx < 0 || xx >= w) continue;
            const xRow = ((b * h + y) * w + xx) * cin;
            const wRow = (i * kw + j) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const v = x[xRow + ci];
              if (v === 0) continue; // after a ReLU, half the inputs are
              const o = wRow + ci * cout;
              for (let co = 0; co < cout; co++) out[o + co] += v * dy[dyRow + co];
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * Conv2DBackpropFilter for WASM (which has none) and CPU (whose own is the slow loop), used by
 * plain and fused convolutions alike.
 */
export function registerFilterGradient(): void {
  for (const [backendName, access] of [['wasm', wasmAccess], ['cpu', cpuAccess]] as const) {
    const current = tf.getKernel('Conv2DBackpropFilter', backendName) as { lab?: boolean } | undefined;
    if (current?.lab) continue;
    if (current) tf.unregisterKernel('Conv2DBackpropFilter', backendName);
    const kernelFunc: tf.KernelFunc = ({ inputs, attrs, backend }) => {
      const a = attrs as unknown as FilterGradAttrs;
      if (a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter: only NHWC is supported here');
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const io = access(backend as tf.KernelBackend);
      // The output is allocated before the inputs are viewed: allocating can move the WASM heap.
      const out = io.outputs([a.filterShape]);
      filterGradient(io.read(x), x.shape, io.read(dy), dy.shape, a, out.arrays()[0]);
      return out.infos[0];
    };
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc, lab: true } as tf.KernelConfig);
  }
}
