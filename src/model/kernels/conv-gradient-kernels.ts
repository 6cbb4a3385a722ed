import * as tf from '@tensorflow/tfjs';
import { replaceKernel, type JsBackendAccess } from '../backend/backend-access';

/**
 * The 2-D convolution's two gradients as im2col and one matrix product on the backend's own
 * BatchMatMul (XNNPACK's SIMD on WASM), for WASM and CPU. tfjs-wasm has no filter gradient and
 * runs the input gradient as a plain loop; tfjs-cpu runs both as plain loops. Measured on the
 * 2-D CNN (16 filters) at a batch of 32 of 64-band log-mel, Node WASM (tf.profile): filter
 * gradient 3 057 ms as a JavaScript loop, 190 ms this way; input gradient 835 ms in tfjs-wasm,
 * 150 ms this way. With tile-kernel.ts and max-pool-grad-kernel.ts the batch went from 4.9 s to 1.0 s.
 * The 1-D CNN's Conv1D runs through the same 2-D kernels (tfjs reshapes it to one row).
 */

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  dataFormat: string;
  /** tfjs passes none (its convolution gradients refuse dilations above 1). */
  dilations?: number | [number, number];
}

type Geometry = ReturnType<typeof geometry>;

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);

/** Where a convolution of x (NHWC) with a kh × kw filter reads its input, given its output's size. */
function geometry(xShape: number[], dyShape: number[], kh: number, kw: number, a: ConvAttrs) {
  const [batch, h, w, cin] = xShape;
  const [, oh, ow, cout] = dyShape;
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
  return { batch, h, w, cin, oh, ow, cout, kh, kw, sh, sw, dh, dw, top, left, positions: batch * oh * ow, taps: kh * kw * cin };
}

/**
 * im2col, transposed: cols[t][p] = the input value filter tap t (over kh × kw × cin) meets at
 * output position p (over batch × oh × ow), 0 in the padding. Written out loop by loop: a
 * callback per element made this 2× slower in V8.
 */
export function im2colTransposed(x: ArrayLike<number>, g: Geometry, cols: Float32Array): void {
  const { positions, cin } = g;
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      for (let c = 0; c < cin; c++) {
        let p = ((i * g.kw + j) * cin + c) * positions;
        for (let b = 0; b < g.batch; b++) {
          for (let oy = 0; oy < g.oh; oy++) {
            const y = oy * g.sh + i * g.dh - g.top;
            if (y < 0 || y >= g.h) {
              cols.fill(0, p, p + g.ow);
              p += g.ow;
              continue;
            }
            const row = (b * g.h + y) * g.w;
            for (let ox = 0; ox < g.ow; ox++, p++) {
              const xx = ox * g.sw + j * g.dw - g.left;
              cols[p] = xx >= 0 && xx < g.w ? x[(row + xx) * cin + c] : 0;
            }
          }
        }
      }
    }
  }
}

/** col2im: dx at each input position = Σ over the (p, t) pairs that meet it of dcols[p][t]. */
export function col2im(dcols: ArrayLike<number>, g: Geometry, dx: Float32Array): void {
  dx.fill(0);
  const { taps, cin } = g;
  for (let b = 0, p = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++, p++) {
        const from = p * taps;
        for (let i = 0; i < g.kh; i++) {
          const y = oy * g.sh + i * g.dh - g.top;
          if (y < 0 || y >= g.h) continue;
          for (let j = 0; j < g.kw; j++) {
            const xx = ox * g.sw + j * g.dw - g.left;
            if (xx < 0 || xx >= g.w) continue;
            const t = from + (i * g.kw + j) * cin;
            const at = ((b * g.h + y) * g.w + xx) * cin;
            for (let c = 0; c < cin; c++) dx[at + c] += dcols[t + c];
          }
        }
      }
    }
  }
}

function transpose(m: ArrayLike<number>, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
}

type MatMul = (a: tf.TensorInfo, b: tf.TensorInfo) => tf.TensorInfo;

function kernelsFor(backendName: string, access: (b: tf.KernelBackend) => JsBackendAccess) {
  const batchMatMul = tf.getKernel('BatchMatMul', backendName)!;
  const setup = (backend: tf.KernelBackend): { io: JsBackendAccess; matMul: MatMul } => ({
    io: access(backend),
    // Never transposed: tfjs-wasm's BatchMatMul takes 6× longer with a transposed operand.
    matMul: (a, b) => batchMatMul.kernelFunc({
      inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap,
    }) as tf.TensorInfo,
  });
  const view = (t: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });

  // dW = cols · dy: [taps, positions] · [positions, cout], which is the filter's own layout.
  const filterGradient: tf.KernelFunc = ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    if (a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter: only NHWC is supported here');
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { io, matMul } = setup(backend as tf.KernelBackend);
    const g = geometry(x.shape, dy.shape, a.filterShape[0], a.filterShape[1], a);
    // Allocated before the input is viewed: allocating can move the WASM heap.
    const cols = io.outputs([[1, g.taps, g.positions]]);
    im2colTransposed(io.read(x), g, cols.arrays()[0]);
    const product = matMul(cols.infos[0], view(dy, [1, g.positions, g.cout]));
    (backend as tf.KernelBackend).disposeData(cols.infos[0].dataId);
    return view(product, [...a.filterShape]);
  };

  // dcols = dy · Wᵀ: [positions, cout] · [cout, taps] (Wᵀ copied: it is small); then each
  // column adds back where it was read.
  const inputGradient: tf.KernelFunc = ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    if (a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropInput: only NHWC is supported here');
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { io, matMul } = setup(backend as tf.KernelBackend);
    const g = geometry(a.inputShape, dy.shape, filter.shape[0], filter.shape[1], a);
    const wt = io.outputs([[1, g.cout, g.taps]]);
    transpose(io.read(filter), g.taps, g.cout, wt.arrays()[0]);
    const dcols = matMul(view(dy, [1, g.positions, g.cout]), wt.infos[0]);
    const dx = io.outputs([[...a.inputShape]]);
    col2im(io.read(dcols), g, dx.arrays()[0]);
    for (const t of [wt.infos[0], dcols]) (backend as tf.KernelBackend).disposeData(t.dataId);
    return dx.infos[0];
  };
  return { Conv2DBackpropFilter: filterGradient, Conv2DBackpropInput: inputGradient };
}

/** Puts both gradient kernels in place on WASM and CPU, once. */
export function registerConvGradients(): void {
  for (const kernelName of ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const) {
    replaceKernel(kernelName, (_theirs, access, backendName) => kernelsFor(backendName, access)[kernelName]);
  }
}
