/// <reference lib="webworker" />
/** A helper thread of data-parallel training in the page: one replica, started by the training worker. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelConfig } from '../architectures/config';
import { useBundledWasm } from '../backend/wasm-paths';
import { Replica } from './replica';
import { ReplicaServer, type ReplicaJob } from './replica-channel';

declare const self: DedicatedWorkerGlobalScope;

useBundledWasm();

type Message = { type: 'init'; config: ModelConfig; backend: string } | ({ type: 'job' } & ReplicaJob);

let server: ReplicaServer | undefined;

self.onmessage = async (e: MessageEvent<Message>) => {
  const m = e.data;
  if (m.type === 'init') {
    server = new ReplicaServer(tf.setBackend(m.backend).then(() => tf.ready()).then(() => new Replica(m.config)));
    return;
  }
  await (server ?? new ReplicaServer(Promise.reject(new Error('the replica was not started')))).answer(m, (reply, transfer) => self.postMessage(reply, transfer));
};
