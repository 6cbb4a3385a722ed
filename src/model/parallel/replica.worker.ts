/// <reference lib="webworker" />
/** A helper thread of data-parallel training in the page: one replica, started by the training worker. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelConfig } from '../config';
import { useBundledWasm } from '../wasm-paths';
import type { ShareRequest } from './data-parallel';
import { Replica } from './replica';

declare const self: DedicatedWorkerGlobalScope;

useBundledWasm();

type Message = { type: 'init'; config: ModelConfig; backend: string } | { type: 'share'; id: number; req: ShareRequest };

let replica: Promise<Replica> | undefined;

self.onmessage = async (e: MessageEvent<Message>) => {
  const m = e.data;
  if (m.type === 'init') {
    replica = tf.setBackend(m.backend).then(() => tf.ready()).then(() => new Replica(m.config));
    return;
  }
  try {
    const r = await (await replica!).gradients(m.req);
    self.postMessage({ id: m.id, ok: true, result: r }, r.grads.map((g) => g.buffer as ArrayBuffer));
  } catch (err) {
    self.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
