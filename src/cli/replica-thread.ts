/** worker_threads side of data-parallel training in Node: one replica of the model. */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelConfig } from '../model/config';
import type { ShareRequest } from '../model/parallel/data-parallel';
import { Replica } from '../model/parallel/replica';
import './quiet-tf';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
const { config, backend } = workerData as { config: ModelConfig; backend: string };
const ready = tf.setBackend(backend).then(() => tf.ready()).then(() => new Replica(config));

parentPort!.on('message', async (job: { id: number; req: ShareRequest }) => {
  try {
    const r = await (await ready).gradients(job.req);
    parentPort!.postMessage({ id: job.id, ok: true, result: r }, r.grads.map((g) => g.buffer as ArrayBuffer));
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
