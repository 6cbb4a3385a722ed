/** worker_threads side of data-parallel training in Node: one replica of the model. */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelConfig } from '../model/architectures/config';
import { useNodeWasmBinaries } from '../model/backend/node-wasm-paths';
import { Replica } from '../model/parallel/replica';
import { serveReplica } from '../model/parallel/replica-channel';
import type { WorkerPort } from '../rpc/serve';
import './quiet-tf';

useNodeWasmBinaries();
const { config, backend } = workerData as { config: ModelConfig; backend: string };
const port = parentPort as unknown as WorkerPort;
parentPort!.on('message', serveReplica(port, tf.setBackend(backend).then(() => tf.ready()).then(() => new Replica(config))));
