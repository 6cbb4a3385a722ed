/** Replicas on Node worker threads, for data-parallel training in npm run train and bench:train. */
import { Worker } from 'node:worker_threads';
import type { ModelConfig } from '../model/architectures/config';
import type { ThreadReplica } from '../model/parallel/replica';
import { channelWorker, type ReplicaReply } from '../model/parallel/replica-channel';

export function nodeReplicas(count: number, config: ModelConfig, backend: string): ThreadReplica[] {
  const module = new URL('./replica-thread.ts', import.meta.url).href;
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  return Array.from({ length: count }, () => {
    const worker = new Worker(entry, { workerData: { config, backend, module } });
    return channelWorker({
      post: (message, transfer) => worker.postMessage(message, transfer),
      onReply: (listener) => worker.on('message', (m: ReplicaReply) => listener(m)),
      onError: (listener) => worker.on('error', listener),
      terminate: () => void worker.terminate(),
    });
  });
}
