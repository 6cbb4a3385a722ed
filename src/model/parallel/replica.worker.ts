/// <reference lib="webworker" />
/** A helper thread of data-parallel training in the page: one replica, started by the training worker. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelConfig } from '../architectures/config';
import { useBundledWasm } from '../backend/wasm-paths';
import { Replica } from './replica';
import { serveReplica, type ReplicaJob } from './replica-channel';

declare const self: DedicatedWorkerGlobalScope;

useBundledWasm();

/** The first message says which model and backend; every later one is a job. */
export type ReplicaStart = { type: 'init'; config: ModelConfig; backend: string };

let serve: ((job: ReplicaJob) => void) | undefined;

self.onmessage = (e: MessageEvent<ReplicaStart | ReplicaJob>) => {
  const m = e.data;
  if (!('task' in m)) {
    serve = serveReplica(self, tf.setBackend(m.backend).then(() => tf.ready()).then(() => new Replica(m.config)));
    return;
  }
  serve ??= serveReplica(self, Promise.reject(new Error('the replica was not started')));
  serve(m);
};
