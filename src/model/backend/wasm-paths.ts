import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * Points tfjs-wasm at the .wasm files Vite bundled with the page (same origin, hashed names), and
 * keeps it to one thread. In a cross-origin isolated page it would pick its threaded build, whose
 * pthreads start as blob: workers: the page's Content-Security-Policy (worker-src 'self') refuses
 * them and the backend never comes up. The lab's own kernels (the fast LSTM and CNNs) do not run
 * on tfjs-wasm; they share batches between their own workers.
 */
export function useBundledWasm(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
}
