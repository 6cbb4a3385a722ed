import { registerConvGradients } from '../kernels/conv-gradient-kernels';
import { registerMaxPoolGrad } from '../kernels/max-pool-grad-kernel';
import { registerTile } from '../kernels/tile-kernel';
import { registerBorrowedKernels } from '../kernels/wasm-borrowed-kernels';
import { registerJsKernels } from '../kernels/kernels-js';
import { registerWebGLKernels } from '../kernels/kernels-webgl';

/**
 * Every kernel the lab adds to tfjs, in the order they must register: the CNNs' gradients on
 * WASM and CPU (the borrowed CPU kernels before MaxPoolGrad, which hands them the cases it does
 * not take), then the fused LSTM steps on CPU, WASM and WebGL.
 */
const LAB_KERNELS: readonly (() => void)[] = [
  registerBorrowedKernels, registerConvGradients, registerTile, registerMaxPoolGrad, registerJsKernels, registerWebGLKernels,
];

let registered = false;

/** Registers the lab's kernels once: buildModel calls it, and anything that runs the fused LSTM op without a model (checks, tests). */
export function registerLabKernels(): void {
  if (registered) return;
  for (const register of LAB_KERNELS) register();
  registered = true;
}
