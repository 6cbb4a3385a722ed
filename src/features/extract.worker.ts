/// <reference lib="webworker" />
/**
 * An extraction worker: File → segment MFCCs with src/dsp, or a data.json → features. All DSP and
 * JSON parsing happens here so the page's main thread only moves results around.
 */
import { md5 } from 'hash-wasm';
import { readDataJson } from '../dataset/data-json-stream';
import { npzToFeatures } from '../dataset/npz';
import { settingsKey, type FeatureSettings } from '../dsp/settings';
import { unzipModel } from '../saving/model-zip';
import { ClipExtractor } from './extract-clip';
import { inspectClip } from './inspect-clip';
import { failedResponse, type WorkerRequest, type WorkerResponse } from './protocol';
import { serveRequests } from '../rpc/serve';

declare const self: DedicatedWorkerGlobalScope;

let cached: { key: string; extractor: ClipExtractor } | undefined;

function extractorFor(settings: FeatureSettings): ClipExtractor {
  const key = settingsKey(settings);
  if (cached?.key !== key) cached = { key, extractor: new ClipExtractor(settings) };
  return cached.extractor;
}

function mixDown(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const out = new Float32Array(channels[0].length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] += ch[i];
  for (let i = 0; i < out.length; i++) out[i] /= channels.length;
  return out;
}

async function handle(req: WorkerRequest): Promise<{ msg: WorkerResponse; transfer: Transferable[] }> {
  if (req.kind === 'data-json') {
    const set = req.format === 'npz'
      ? npzToFeatures(new Uint8Array(await req.file.arrayBuffer()))
      : await readDataJson(req.file.stream().pipeThrough(new TextDecoderStream()) as unknown as AsyncIterable<string>);
    const transfer = set.clips.flatMap((c) => c.segments.map((s) => s.buffer as ArrayBuffer));
    return { msg: { kind: 'data-json', id: req.id, ok: true, ...set }, transfer };
  }
  if (req.kind === 'model-zip') {
    const m = unzipModel(new Uint8Array(await req.file.arrayBuffer()));
    return { msg: { kind: 'model-zip', id: req.id, ok: true, ...m }, transfer: [m.weights] };
  }
  if (req.kind === 'inspect') {
    const a = req.audio;
    const r = inspectClip('bytes' in a ? { bytes: new Uint8Array(a.bytes) } : { samples: mixDown(a.channels), sampleRate: a.sampleRate }, req.settings);
    const transfer = [r.peaks.buffer as ArrayBuffer, ...r.segments.flatMap((s) => [s.logMel.buffer as ArrayBuffer, s.mfcc.buffer as ArrayBuffer])];
    return { msg: { kind: 'inspect', id: req.id, ok: true, ...r }, transfer };
  }
  if (req.kind === 'md5') return { msg: { kind: 'md5', id: req.id, ok: true, md5: await md5(new Uint8Array(req.bytes)) }, transfer: [] };
  const extractor = extractorFor(req.settings);
  const opts = { wholeSignal: req.wholeSignal };
  const r = req.kind === 'encoded'
    ? extractor.fromBytes(new Uint8Array(req.bytes), opts)
    : extractor.fromSamples(mixDown(req.channels), req.sampleRate, req.encoding, opts);
  return {
    msg: { kind: 'clip', id: req.id, ok: true, segments: r.segments, seconds: r.seconds, encoding: r.encoding, engine: r.engine },
    transfer: r.segments.map((s) => s.buffer as ArrayBuffer),
  };
}

const serve = serveRequests<WorkerRequest, WorkerResponse>(self, handle, failedResponse);
self.onmessage = (e: MessageEvent<WorkerRequest>) => serve(e.data);
