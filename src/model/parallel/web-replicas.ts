import type { ModelConfig } from '../architectures/config';
import type { ThreadReplica } from './replica';
import { channelWorker, type ReplicaReply } from './replica-channel';

/** Replicas in Web Workers started from the training worker, for data-parallel training in the page. */
export function webReplicas(count: number, config: ModelConfig, backend: string): ThreadReplica[] {
  return Array.from({ length: count }, (_, i) => {
    const worker = new Worker(new URL('./replica.worker.ts', import.meta.url), { type: 'module', name: `replica ${i + 1}` });
    worker.postMessage({ type: 'init', config, backend });
    return channelWorker({
      post: (message, transfer) => worker.postMessage({ type: 'job', ...message }, transfer),
      onReply: (listener) => worker.addEventListener('message', (e: MessageEvent<ReplicaReply>) => listener(e.data)),
      onError: (listener) => worker.addEventListener('error', (e) => listener(new Error(e.message || 'a training thread could not start'))),
      terminate: () => worker.terminate(),
    });
  });
}
