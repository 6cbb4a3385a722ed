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
  const { audio, transfer } = await readAudio(file, extension, decoder);
  const request: WorkerRequest = 'bytes' in audio
    ? { kind: 'encoded', id, bytes: audio.bytes, settings, wholeSignal }
    : { kind: 'samples', id, ...audio, settings, wholeSignal };
  return { request, transfer };
}

/** A file's audio for a worker: WAV/AU bytes as read, other formats as the browser decoded them. */
export async function readAudio(file: Blob, extension: string, decoder: 'native' | 'browser'): Promise<{
  audio: { bytes: ArrayBuffer } | { channels: Float32Array[]; sampleRate: number; encoding: string };
  transfer: Transferable[];
}> {
  if (decoder === 'native') {
    const bytes = await file.arrayBuffer();
    return { audio: { bytes }, transfer: [bytes] };
  }
  const audio = await decodeWithBrowser(file, extension);
  return { audio, transfer: audio.channels.map((c) => c.buffer as ArrayBuffer) };
}
