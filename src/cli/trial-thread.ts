/**
 * worker_threads side of one training session run beside others in Node: a tuning trial (judged
 * on validation, as the page's training worker runs it) or, with `test`, one split of the leak
 * report, which also reports the test evaluation.
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainingData } from '../dataset/training-data';
import { runSession, trialScore, type SessionOptions } from '../model/training/session';
import type { SideBySideOutcome } from './node-trials';
import { nodeReplicas } from './node-replicas';
import './quiet-tf';
import { useNodeWasmBinaries } from '../model/backend/node-wasm-paths';

useNodeWasmBinaries();
const { data, options, threads, backend, test } = workerData as {
  data: TrainingData;
  options: SessionOptions;
  threads: number;
  backend: string;
  test?: boolean;
};

async function trial(): Promise<SideBySideOutcome> {
  await tf.setBackend(backend);
  await tf.ready();
  const started = performance.now();
  const helpers = threads > 1 ? (config: Parameters<typeof nodeReplicas>[1]) => nodeReplicas(threads - 1, config, backend) : undefined;
  const result = await runSession(data, { ...options, skipTest: !test, helpers });
  result.model.dispose();
  return {
    status: 'done',
    ...trialScore(result),
    seconds: (performance.now() - started) / 1000,
    ...(test ? { evaluation: result.evaluation, bestEpoch: result.bestEpoch, epochs: result.history.length } : {}),
  };
}

trial().then(
  (outcome) => parentPort!.postMessage(outcome),
  (e: unknown) => parentPort!.postMessage({ status: 'failed', message: e instanceof Error ? e.message : String(e) }),
);
