import type { FeatureSettings } from '../dsp/settings';
import { decodeWithBrowser } from './browser-decode';
import type { WorkerRequest } from './protocol';

export interface ClipJob {
  request: WorkerRequest;
  transfer: Transferable[];
}

/**
 * The worker job for one audio file: WAV/AU go to the worker as the File itself; other formats
 * are decoded here by the browser first and their channels transferred. Rejects when the
 * browser cannot decode the file.
 */
export async function clipRequest(
  file: Blob, extension: string, decoder: 'native' | 'browser', id: number, settings: FeatureSettings, wholeSignal?: boolean,
): Promise<ClipJob> {
  if (decoder === 'native') return { request: { kind: 'file', id, file, settings, wholeSignal }, transfer: [] };
  const d = await decodeWithBrowser(file, extension);
  return {
    request: { kind: 'samples', id, channels: d.channels, sampleRate: d.sampleRate, encoding: d.encoding, settings, wholeSignal },
    transfer: d.channels.map((c) => c.buffer as ArrayBuffer),
  };
}
