/** Replicas on Node worker threads, for data-parallel training in npm run train and bench:train. */
import { Worker } from 'node:worker_threads';
import type { ModelConfig } from '../model/architectures/config';
import type { ThreadReplica } from '../model/parallel/replica';
import { channelWorker } from '../model/parallel/replica-channel';
import { nodeWorkerEndpoint } from '../rpc/endpoint';

export function nodeReplicas(count: number, config: ModelConfig, backend: string): ThreadReplica[] {
  const module = new URL('./replica-thread.ts', import.meta.url).href;
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  return Array.from({ length: count }, (_, i) =>
    channelWorker(nodeWorkerEndpoint(new Worker(entry, { workerData: { config, backend, module } }), `training thread ${i + 1}`)),
  );
}
