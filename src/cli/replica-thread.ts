/** worker_threads side of data-parallel training in Node: one replica of the model. */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelConfig } from '../model/architectures/config';
import { Replica } from '../model/parallel/replica';
import { ReplicaServer, type ReplicaJob } from '../model/parallel/replica-channel';
import './quiet-tf';
import { useNodeWasmBinaries } from '../model/backend/node-wasm-paths';

useNodeWasmBinaries();
const { config, backend } = workerData as { config: ModelConfig; backend: string };
const server = new ReplicaServer(tf.setBackend(backend).then(() => tf.ready()).then(() => new Replica(config)));

parentPort!.on('message', (job: ReplicaJob) => {
  void server.answer(job, (reply, transfer) => parentPort!.postMessage(reply, transfer));
});
