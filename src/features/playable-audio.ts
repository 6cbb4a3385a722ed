/**
 * Audio the browser's own player can play, for clips it cannot: Chromium does not demux GTZAN's
 * .au files, so the inspector plays the lab's own decoding of them as a 16-bit PCM WAV instead.
 * Pure apart from the Blob it returns.
 */
import { decodeAudio } from '../dsp/decode';

/** Container types by extension, for asking the player whether it plays a file as it is. */
const MIME: Record<string, string> = { wav: 'audio/wav', wave: 'audio/wav', au: 'audio/basic', snd: 'audio/basic' };

/** The MIME type to ask `canPlayType` about for a file with this extension, where the lab knows one. */
export function mimeOfExtension(extension: string): string | undefined {
  return MIME[extension.toLowerCase()];
}

/** A mono 16-bit PCM WAV of these samples (clipped to ±1), which every browser plays. */
export function wavOfSamples(samples: Float32Array, sampleRate: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(44 + 2 * samples.length);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => { for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, 2 * samples.length, true);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + 2 * i, Math.round(v < 0 ? v * 0x8000 : v * 0x7fff), true);
  }
  return bytes;
}

/** The lab's decoding of a WAV or AU file as a playable WAV, and what it is; or why it cannot be made. */
export async function playableCopy(file: Blob): Promise<{ wav: Blob; note: string } | { problem: string }> {
  try {
    const audio = decodeAudio(new Uint8Array(await file.arrayBuffer()));
    const wav = new Blob([wavOfSamples(audio.samples, audio.sampleRate)], { type: 'audio/wav' });
    return { wav, note: `the lab's own decoding of this ${audio.encoding} file, mono at ${audio.sampleRate} Hz` };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

/** Channels the browser's decoder gave (mp3, ogg, …) as one playable mono WAV. */
export function playableFromChannels(channels: readonly Float32Array[], sampleRate: number): Blob {
  const n = Math.min(...channels.map((c) => c.length));
  const mono = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) mono[i] += c[i] / channels.length;
  return new Blob([wavOfSamples(mono, sampleRate)], { type: 'audio/wav' });
}
