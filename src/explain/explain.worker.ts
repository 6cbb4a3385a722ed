/// <reference lib="webworker" />
/**
 * Explanations and live classification off the page's thread: the model is built once per job
 * and every forward pass runs here, with progress between batches, so the page never waits.
 */
import type * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../model/backend/backend';
import { useBundledWasm } from '../model/backend/wasm-paths';
import { modelFromFiles } from '../saving/artifacts';
import { modelMismatch } from '../evaluation/classify';
import { deletionCheck } from './deletion-check';
import type { ExplainEvent, ExplainRequest, ModelOnWire } from './explain-protocol';
import { LiveSegmenter } from './live-segmenter';
import { defaultBaseline, fastestPredict, standardized } from './model-predict';
import { occlusionMap, type Predict } from './occlusion';

declare const self: DedicatedWorkerGlobalScope;

useBundledWasm();

const post = (e: ExplainEvent) => self.postMessage(e);
let stopRequested = false;
let live: { segmenter: LiveSegmenter; predict: Predict; req: ModelOnWire; index: number; queue: Promise<void> } | undefined;

async function load(req: ModelOnWire): Promise<{ model: tf.LayersModel; predict: Predict }> {
  const b = await selectBackend(req.backend);
  const model = await modelFromFiles(req.files.modelJson, req.files.weights);
  const mismatch = modelMismatch(model, req.metadata);
  if (mismatch) throw new Error(mismatch);
  post({ type: 'ready', backend: b.name });
  const [frames, coefficients] = req.metadata.inputShape;
  return { model, predict: fastestPredict(model, frames, coefficients) };
}

// Progress at most every 100 ms: a message per batch would flood the page on a fast backend.
function progressReporter() {
  let last = 0;
  return (done: number, total: number) => {
    const now = performance.now();
    if (done === total || now - last > 100) {
      last = now;
      post({ type: 'progress', done, total });
    }
  };
}

async function explain(req: Extract<ExplainRequest, { type: 'explain' }>) {
  const { model, predict } = await load(req);
  const [frames, coefficients] = req.metadata.inputShape;
  const started = performance.now();
  const map = await occlusionMap(predict, req.metadata.genres, standardized(req.segments, req.metadata), frames, coefficients, {
    patchFrames: req.patchFrames, patchBands: req.patchBands, baseline: defaultBaseline(req.metadata),
    onProgress: progressReporter(), shouldStop: () => stopRequested,
  });
  model.dispose();
  post({ type: 'explained', map, seconds: (performance.now() - started) / 1000 });
}

async function check(req: Extract<ExplainRequest, { type: 'deletion-check' }>) {
  const { model, predict } = await load(req);
  const [frames, coefficients] = req.metadata.inputShape;
  const result = await deletionCheck(predict, req.metadata.genres, standardized(req.segments, req.metadata), req.labels, frames, coefficients, {
    fraction: req.fraction, baseline: defaultBaseline(req.metadata), onProgress: progressReporter(), shouldStop: () => stopRequested,
  });
  model.dispose();
  post({ type: 'deletion-checked', result });
}

/**
 * Listening starts cutting segments at the first block of audio the page sends, while the model
 * still loads: the segments are what was captured from its first sample (as a file of the same
 * audio is cut), and their classification waits for the model.
 */
async function listen(req: Extract<ExplainRequest, { type: 'listen' }>) {
  const loaded = load(req);
  const l = {
    segmenter: new LiveSegmenter(req.metadata.features, req.sampleRate),
    predict: (x: Float32Array, n: number) => loaded.then(({ predict }) => predict(x, n)),
    req, index: 0, queue: loaded.then(() => undefined, () => undefined),
  };
  live = l;
  try {
    await loaded;
  } catch (e) {
    if (live === l) live = undefined;
    throw e;
  }
}

/** Audio from the page: cut, featurised and classified in arrival order. */
function audio(samples: Float32Array) {
  const l = live;
  if (!l) return;
  for (const segment of l.segmenter.push(samples)) {
    l.queue = l.queue.then(async () => {
      const [x] = standardized([segment], l.req.metadata);
      const p = await l.predict(x, 1);
      post({ type: 'live', index: l.index++, probabilities: Array.from(p), engine: l.segmenter.engine });
    }).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
  }
}

self.onmessage = (e: MessageEvent<ExplainRequest>) => {
  const req = e.data;
  if (req.type === 'stop') {
    stopRequested = true;
    live = undefined;
    return;
  }
  if (req.type === 'audio') {
    audio(req.samples);
    return;
  }
  const job = req.type === 'explain' ? explain(req) : req.type === 'deletion-check' ? check(req) : listen(req);
  job.catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
