/** worker_threads side of the extract CLI: reads a clip from disk and returns its segment MFCCs. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { FeatureSettings } from '../dsp/settings';
import { ClipExtractor } from '../features/extract-clip';

const extractor = new ClipExtractor(workerData.settings as FeatureSettings);

parentPort!.on('message', (job: { id: number; file: string }) => {
  try {
    const r = extractor.fromBytes(new Uint8Array(readFileSync(job.file)));
    const buffers = r.segments.map((s) => s.buffer as ArrayBuffer);
    parentPort!.postMessage({ id: job.id, ok: true, segments: r.segments, seconds: r.seconds }, buffers);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
