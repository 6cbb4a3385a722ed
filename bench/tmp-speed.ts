import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { REFERENCE_MODEL } from '/work/main/src/model/config';
import { msPerBatch } from '/work/main/src/model/estimate';
import { setSimdLstm } from '/work/main/src/model/fast-lstm/simd-lstm';
const require = createRequire('/work/main/package.json');
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
const config = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 10 };
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend); await tf.ready();
  setSimdLstm(true); const simd = await msPerBatch(config, 32, 5, true);
  setSimdLstm(false); const fused = await msPerBatch(config, 32, 3, true);
  console.log(backend, 'simd', simd.toFixed(0), 'fused', fused.toFixed(0));
}
await tf.setBackend('wasm'); setSimdLstm(true);
(globalThis as any).__fw = 0; (globalThis as any).__bw = 0;
const ms = await msPerBatch(config, 32, 10, true);
console.log('per batch', ms.toFixed(1), 'fw', ((globalThis as any).__fw / 11).toFixed(1), 'bw', ((globalThis as any).__bw / 11).toFixed(1));
