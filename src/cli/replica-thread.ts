/** worker_threads side of data-parallel training in Node: one replica of the model. */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelConfig } from '../model/architectures/config';
import { Replica } from '../model/parallel/replica';
import { ReplicaServer, type ReplicaJob } from '../model/parallel/replica-channel';
import './quiet-tf';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
const { config, backend } = workerData as { config: ModelConfig; backend: string };
const server = new ReplicaServer(tf.setBackend(backend).then(() => tf.ready()).then(() => new Replica(config)));

parentPort!.on('message', (job: ReplicaJob) => {
  void server.answer(job, (reply, transfer) => parentPort!.postMessage(reply, transfer));
});
