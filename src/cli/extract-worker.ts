/** worker_threads side of the extract CLI: reads a clip from disk and returns its segment MFCCs. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { FeatureSettings } from '../dsp/settings';
import { ClipExtractor } from '../features/extract-clip';
import { serveRequests, type WorkerPort } from '../rpc/serve';

/** A clip to extract, by path, and the answer: its segments (their buffers moved), or why not. */
export interface ExtractJob { id: number; file: string }
export type ExtractAnswer = { id: number; ok: true; segments: Float32Array[]; seconds: number } | { id: number; ok: false; error: string };

const extractor = new ClipExtractor(workerData.settings as FeatureSettings);

const serve = serveRequests<ExtractJob, ExtractAnswer>(parentPort as unknown as WorkerPort, (job) => {
  const r = extractor.fromBytes(new Uint8Array(readFileSync(job.file)));
  return { msg: { id: job.id, ok: true, segments: r.segments, seconds: r.seconds }, transfer: r.segments.map((s) => s.buffer as ArrayBuffer) };
}, (job, error) => ({ id: job.id, ok: false, error }));
parentPort!.on('message', serve);
