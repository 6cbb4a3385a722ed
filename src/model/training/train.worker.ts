/// <reference lib="webworker" />
/**
 * Trains in a worker so the page never waits on a batch (a WASM batch of the reference model
 * takes seconds on a laptop CPU). Same src/model code as `npm run train`.
 */
// The union package registers the WebGL and CPU backends; WASM registers itself below.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { modelFromFiles, modelToFiles } from '../../saving/artifacts';
import { classifySegments, modelMismatch } from '../../evaluation/classify';
import { selectBackend, type BackendChoice, type MeasureBackend } from '../backend/backend';
import { summarize } from '../architectures/build';
import type { ModelConfig } from '../architectures/config';
import { specOf } from '../architectures/spec';
import { simdAsked } from './choose-engine';
import { msPerBatch } from './estimate';
import { ProgressReporter } from './progress-reporter';
import { makeMetadata } from './make-metadata';
import { webReplicas } from '../parallel/web-replicas';
import { runSession, trialScore, type SessionOptions, type TrainerInfo } from './session';
import type { TrainEvent, TrainRequest, WorkerSessionOptions } from './train-protocol';
import { useBundledWasm } from '../backend/wasm-paths';

declare const self: DedicatedWorkerGlobalScope;

useBundledWasm();

let stopRequested = false;
const post = (e: TrainEvent, transfer: Transferable[] = []) => self.postMessage(e, transfer);
// A message to itself, not setTimeout(0): timers set from timers are held back to 4 ms after a
// few in a row, which would cost every batch 4 ms where nothing else wakes the worker.
const wake = new MessageChannel();
const yieldToMessages = () => new Promise<void>((r) => {
  wake.port1.onmessage = () => r();
  wake.port2.postMessage(null);
});

/** The WebGL context tfjs draws with, when the backend is WebGL. */
function webglContext(): WebGL2RenderingContext | undefined {
  if (tf.getBackend() !== 'webgl') return undefined;
  return (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
}

/** The WebGPU device tfjs trains on, when the backend is WebGPU. */
function webgpuDevice(): { lost: Promise<{ message?: string }> } | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  return (tf.backend() as unknown as { device: { lost: Promise<{ message?: string }> } }).device;
}

/**
 * Picks the backend (`measure`: the automatic choice's quick timing of the model about to train,
 * which decides for or against WebGPU) and tells the page which and why.
 */
async function useBackend(choice: BackendChoice, measure?: MeasureBackend): Promise<string> {
  const b = await selectBackend(choice, measure);
  post({ type: 'backend', name: b.name, note: b.note });
  // A lost context (GPU reset, driver crash, memory pressure) ends the run with a message; the
  // page keeps the features and the last epoch's checkpoint.
  const canvas = webglContext()?.canvas as OffscreenCanvas | undefined;
  canvas?.addEventListener('webglcontextlost', () => {
    post({ type: 'error', message: 'the WebGL context was lost (the GPU was reset or ran out of memory)' });
  });
  void webgpuDevice()?.lost.then((info) => {
    post({ type: 'error', message: `the WebGPU device was lost (${info.message || 'the GPU was reset or ran out of memory'})` });
  });
  return b.name;
}

/** The automatic choice's timing of `config` on a backend: a few batches, on the threads a run there would use. */
function measureFor(config: ModelConfig, batchSize: number, fastLstm: boolean, threads?: number): MeasureBackend {
  return (backend) => {
    const count = threadsFor(backend, threads);
    return msPerBatch(config, batchSize, 2, simdAsked(specOf(config), fastLstm), count > 1 ? webReplicas(count - 1, config, backend) : []);
  };
}

/** The model a run's request will build, for measuring it. */
function requestConfig(req: Extract<TrainRequest, { type: 'train' | 'trial' }>): ModelConfig {
  return { ...req.options.model, frames: req.data.frames, coefficients: req.data.coefficients, classes: req.data.genres.length };
}

const measureRun = (req: Extract<TrainRequest, { type: 'train' | 'trial' }>) =>
  measureFor(requestConfig(req), req.options.train.batchSize, req.options.fastLstm !== false, req.threads);

async function estimate(req: Extract<TrainRequest, { type: 'estimate' }>): Promise<void> {
  const backend = await useBackend(req.backend, measureFor(req.config, req.batchSize, req.fastLstm ?? true, req.threads));
  const threads = threadsFor(backend, req.threads);
  const helpers = threads > 1 ? webReplicas(threads - 1, req.config, backend) : [];
  post({
    type: 'estimate',
    msPerBatch: await msPerBatch(req.config, req.batchSize, req.runs ?? 2, simdAsked(specOf(req.config), req.fastLstm), helpers),
    backend,
    threads,
  });
}

/**
 * Threads to train on: as asked, never more than this machine has cores (a number typed past the
 * form's max still arrives) nor than 8 (a batch of 32 gains nothing more), and 1 but on WASM or
 * CPU (WebGL replicas would share one GPU).
 */
function threadsFor(backend: string, asked = 1): number {
  const count = Math.max(1, Math.min(Math.floor(asked) || 1, self.navigator.hardwareConcurrency || 1, 8));
  return backend === 'wasm' || backend === 'cpu' ? count : 1;
}

/**
 * The session's helper threads: data-parallel replicas of the SIMD LSTM and CNNs (each picks the
 * same backend). The session makes them only if chooseEngine picks one of those engines.
 */
function withHelpers(options: WorkerSessionOptions, backend: string, threads = 1): SessionOptions {
  const count = threadsFor(backend, threads);
  return count > 1 ? { ...options, helpers: (config) => webReplicas(count - 1, config, backend) } : options;
}

/** Tells the page how many threads share each batch, once the session knows. */
const onTrainer = (info: TrainerInfo) => post({ type: 'threads', count: info.threads, reason: info.reason });

/** Progress messages to the page, rate-limited; a checkpoint's weights are moved, not copied. */
function reporter(): ProgressReporter {
  return new ProgressReporter((p) => post({ type: 'progress', ...p }, p.checkpoint ? [p.checkpoint.files.weights] : []));
}

async function train(req: Extract<TrainRequest, { type: 'train' }>): Promise<void> {
  const backend = await useBackend(req.backend, measureRun(req));
  // The SIMD LSTM runs on WASM and CPU only (chooseEngine): elsewhere the metadata says tf.layers.lstm trained.
  const fastLstm = req.options.fastLstm !== false && (backend === 'wasm' || backend === 'cpu');
  let summarized = false;
  const progress = reporter();
  const result = await runSession(req.data, withHelpers(req.options, backend, req.threads), {
    onTrainer,
    onBatch: (report) => progress.onBatch(report),
    onEpoch: async (report, model, state) => {
      if (!summarized) {
        summarized = true;
        post({ type: 'summary', rows: summarize(model), params: model.countParams() });
      }
      await progress.onEpoch(report, async () => ({
        files: await modelToFiles(model),
        metadata: makeMetadata(req.data, req.features, req.options, state, null, backend, fastLstm),
      }));
    },
    shouldStop: () => stopRequested,
    yieldBetweenBatches: yieldToMessages,
  });
  progress.flush();
  const files = await modelToFiles(result.model);
  const metadata = makeMetadata(req.data, req.features, req.options, result, result.evaluation, backend, fastLstm);
  post(
    {
      type: 'done',
      files,
      metadata,
      evaluation: result.evaluation,
      history: result.history,
      stopped: result.stopped,
      ...(result.diverged ? { diverged: result.diverged } : {}),
    },
    [files.weights],
  );
  result.model.dispose();
}

async function trial(req: Extract<TrainRequest, { type: 'trial' }>): Promise<void> {
  const backend = await useBackend(req.backend, measureRun(req));
  const started = performance.now();
  const progress = reporter();
  const result = await runSession(req.data, { ...withHelpers(req.options, backend, req.threads), skipTest: true }, {
    onTrainer,
    onBatch: (report) => progress.onBatch(report),
    shouldStop: () => stopRequested,
    yieldBetweenBatches: yieldToMessages,
  });
  post({ type: 'trial-done', ...trialScore(result), epochs: result.epochsCompleted, seconds: (performance.now() - started) / 1000, stopped: result.stopped });
  result.model.dispose();
}

/** Loads a model the page sent, refuses one that does not fit its metadata, classifies these segments, frees it. */
async function classifyWith(req: Extract<TrainRequest, { type: 'classify' | 'check' }>, segments: Float32Array[], metadata = req.metadata) {
  await useBackend(req.backend);
  const model = await modelFromFiles(req.files.modelJson, req.files.weights);
  try {
    const mismatch = modelMismatch(model, req.metadata);
    if (mismatch) throw new Error(mismatch);
    return await classifySegments(model, metadata, segments);
  } finally {
    model.dispose();
  }
}

async function classify(req: Extract<TrainRequest, { type: 'classify' }>): Promise<void> {
  post({ type: 'classified', result: await classifyWith(req, req.segments) });
}

/** Runs a model once on a silent segment, so one the lab cannot run is refused when loaded. */
async function check(req: Extract<TrainRequest, { type: 'check' }>): Promise<void> {
  const [frames, coefficients] = req.metadata.inputShape;
  await classifyWith(req, [new Float32Array(frames * coefficients)], { ...req.metadata, standardization: null });
  post({ type: 'checked' });
}

self.onmessage = (e: MessageEvent<TrainRequest>) => {
  const req = e.data;
  if (req.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (req.type === 'lose-webgl-context') {
    webglContext()?.getExtension('WEBGL_lose_context')?.loseContext();
    return;
  }
  const job = req.type === 'train' ? train(req)
    : req.type === 'trial' ? trial(req)
      : req.type === 'classify' ? classify(req)
        : req.type === 'check' ? check(req)
        : estimate(req);
  job.catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
