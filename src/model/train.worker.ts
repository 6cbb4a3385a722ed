/// <reference lib="webworker" />
/**
 * Trains in a worker so the page never waits on a batch (a WASM batch of the reference model
 * takes seconds on a laptop CPU). Same src/model code as `npm run train`.
 */
// The union package registers the WebGL and CPU backends; WASM registers itself below.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { modelToFiles } from './artifacts';
import { selectBackend, type BackendChoice } from './backend';
import { summarize } from './build';
import { msPerBatch } from './estimate';
import { makeMetadata } from './make-metadata';
import { runSession } from './session';
import type { TrainEvent, TrainRequest } from './train-protocol';
import type { ModelConfig } from './config';

declare const self: DedicatedWorkerGlobalScope;

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

let stopRequested = false;
const post = (e: TrainEvent, transfer: Transferable[] = []) => self.postMessage(e, transfer);
const yieldToMessages = () => new Promise<void>((r) => setTimeout(r, 0));

async function useBackend(choice: BackendChoice): Promise<string> {
  const b = await selectBackend(choice);
  post({ type: 'backend', name: b.name, note: b.note });
  return b.name;
}

async function estimate(config: ModelConfig, batchSize: number, choice: BackendChoice, runs: number): Promise<void> {
  const backend = await useBackend(choice);
  post({ type: 'estimate', msPerBatch: await msPerBatch(config, batchSize, runs), backend });
}

async function train(req: Extract<TrainRequest, { type: 'train' }>): Promise<void> {
  const backend = await useBackend(req.backend);
  let summarized = false;
  const result = await runSession(req.data, req.options, {
    onBatch: (report) => {
      post({ type: 'batch', report });
    },
    onEpoch: async (report, model, state) => {
      if (!summarized) {
        summarized = true;
        post({ type: 'summary', rows: summarize(model), params: model.countParams() });
      }
      const checkpoint = await modelToFiles(model);
      const metadata = makeMetadata(req.data, req.features, req.options, state, null, backend);
      post({ type: 'epoch', report, checkpoint, metadata }, [checkpoint.weights]);
    },
    shouldStop: () => stopRequested,
    yieldBetweenBatches: yieldToMessages,
  });
  const files = await modelToFiles(result.model);
  const metadata = makeMetadata(req.data, req.features, req.options, result, result.evaluation, backend);
  post({ type: 'done', files, metadata, evaluation: result.evaluation, history: result.history, stopped: result.stopped }, [files.weights]);
  result.model.dispose();
}

self.onmessage = (e: MessageEvent<TrainRequest>) => {
  const req = e.data;
  if (req.type === 'stop') {
    stopRequested = true;
    return;
  }
  const job = req.type === 'train' ? train(req) : estimate(req.config, req.batchSize, req.backend, req.runs ?? 2);
  job.catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
