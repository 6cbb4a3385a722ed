import type { FeatureSettings } from '../dsp/settings';
import { decodeWithBrowser } from './browser-decode';
import type { WorkerRequest } from './protocol';

export interface ClipJob {
  request: WorkerRequest;
  transfer: Transferable[];
}

/**
 * The worker job for one audio file: WAV/AU bytes are read here and transferred; other formats
 * are decoded here by the browser first and their channels transferred. Rejects when the file
 * cannot be read or the browser cannot decode it.
 */
export async function clipRequest(
  file: Blob, extension: string, decoder: 'native' | 'browser', id: number, settings: FeatureSettings,
  opts: { wholeSignal?: boolean } = {},
): Promise<ClipJob> {
  const { wholeSignal } = opts;
  if (decoder === 'native') {
    const bytes = await file.arrayBuffer();
    return { request: { kind: 'encoded', id, bytes, settings, wholeSignal }, transfer: [bytes] };
  }
  const d = await decodeWithBrowser(file, extension);
  return {
    request: { kind: 'samples', id, channels: d.channels, sampleRate: d.sampleRate, encoding: d.encoding, settings, wholeSignal },
    transfer: d.channels.map((c) => c.buffer as ArrayBuffer),
  };
}
