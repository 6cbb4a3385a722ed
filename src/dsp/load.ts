import { decodeAudio } from './decode';
import type { DecodedAudio } from './errors';
import { resample } from './resample';

/** librosa.load(path, sr=targetRate, mono=True) for WAV/AU bytes: decode, mix down, resample. */
export function loadAudio(bytes: Uint8Array, targetRate: number): DecodedAudio {
  const decoded = decodeAudio(bytes);
  return toRate(decoded, targetRate);
}

/** Brings already-decoded mono audio to the target rate. */
export function toRate(decoded: DecodedAudio, targetRate: number): DecodedAudio {
  if (decoded.sampleRate === targetRate) return decoded;
  return { ...decoded, samples: resample(decoded.samples, decoded.sampleRate, targetRate), sampleRate: targetRate };
}
