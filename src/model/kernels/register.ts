import { registerConvGradients } from './conv-gradient-kernels';
import { registerMaxPoolGrad } from './max-pool-grad-kernel';
import { registerTile } from './tile-kernel';
import { registerBorrowedKernels } from './wasm-borrowed-kernels';

/**
 * Every kernel the lab adds to tfjs, in the order they must register: the borrowed CPU kernels
 * first, since MaxPoolGrad's hands the cases it does not take to them.
 */
const LAB_KERNELS: readonly (() => void)[] = [registerBorrowedKernels, registerConvGradients, registerTile, registerMaxPoolGrad];

let registered = false;

/** Registers the lab's kernels once (buildModel calls it; a second call does nothing). */
export function registerLabKernels(): void {
  if (registered) return;
  for (const register of LAB_KERNELS) register();
  registered = true;
}
