import { webWorkerEndpoint } from '../../rpc/endpoint';
import type { ModelConfig } from '../architectures/config';
import type { ThreadReplica } from './replica';
import { channelWorker } from './replica-channel';
import type { ReplicaStart } from './replica.worker';

/** Replicas in Web Workers started from the training worker, for data-parallel training in the page. */
export function webReplicas(count: number, config: ModelConfig, backend: string): ThreadReplica[] {
  return Array.from({ length: count }, (_, i) => {
    const worker = new Worker(new URL('./replica.worker.ts', import.meta.url), { type: 'module', name: `replica ${i + 1}` });
    worker.postMessage({ type: 'init', config, backend } satisfies ReplicaStart);
    return channelWorker(webWorkerEndpoint(worker, `training thread ${i + 1}`));
  });
}
