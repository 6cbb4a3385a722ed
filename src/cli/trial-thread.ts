/** worker_threads side of a tuning trial in Node: one training session judged on validation, as the page's training worker runs it. */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainingData } from '../dataset/training-data';
import { runSession, type SessionOptions } from '../model/training/session';
import type { TrialOutcome } from '../model/tuning/tuning-run';
import { nodeReplicas } from './node-replicas';
import './quiet-tf';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
const { data, options, threads, backend } = workerData as { data: TrainingData; options: SessionOptions; threads: number; backend: string };

async function trial(): Promise<TrialOutcome> {
  await tf.setBackend(backend);
  await tf.ready();
  const started = performance.now();
  const helpers = threads > 1 ? (config: Parameters<typeof nodeReplicas>[1]) => nodeReplicas(threads - 1, config, backend) : undefined;
  const result = await runSession(data, { ...options, skipTest: true, helpers });
  result.model.dispose();
  return { status: 'done', valAccuracy: Math.max(0, ...result.history.map((h) => h.valAccuracy ?? 0)), seconds: (performance.now() - started) / 1000 };
}

trial().then((outcome) => parentPort!.postMessage(outcome), (e: unknown) => parentPort!.postMessage({ status: 'failed', message: String(e) }));
