import { registerConvGradients } from '../kernels/conv-gradient-kernels';
import { registerMaxPoolGrad } from '../kernels/max-pool-grad-kernel';
import { registerTile } from '../kernels/tile-kernel';
import { registerBorrowedKernels } from '../kernels/wasm-borrowed-kernels';

/**
 * Every kernel the lab adds to tfjs, in the order they must register: the CNNs' gradients on
 * WASM and CPU (the borrowed CPU kernels before MaxPoolGrad, which hands them the cases it does
 * not take).
 */
const LAB_KERNELS: readonly (() => void)[] = [registerBorrowedKernels, registerConvGradients, registerTile, registerMaxPoolGrad];

let registered = false;

/** Registers the lab's kernels once: buildModel calls it, and anything that runs the CNNs' ops without a model (checks, tests). */
export function registerLabKernels(): void {
  if (registered) return;
  for (const register of LAB_KERNELS) register();
  registered = true;
}
