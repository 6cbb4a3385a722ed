import { decodeAudio } from './decode';
import type { DecodedAudio } from './errors';
import { DEFAULT_QUALITY, inputNeeded, resample } from './resample';

/**
 * librosa.load(path, sr=targetRate, mono=True) for WAV/AU bytes: decode, mix down, resample.
 * With `keepSeconds`, only that much of the beginning is decoded and resampled (the same numbers
 * as cutting the whole result, since the resampler's filter is finite).
 */
export function loadAudio(bytes: Uint8Array, targetRate: number, keepSeconds?: number): DecodedAudio {
  const outNeeded = keepSeconds === undefined ? undefined : Math.ceil(keepSeconds * targetRate);
  const decoded = decodeAudio(bytes, outNeeded === undefined ? {} : { framesNeeded: (rate) => inputNeeded(outNeeded, rate, targetRate) });
  return toRate(decoded, targetRate, outNeeded);
}

/** Brings already-decoded mono audio to the target rate (its first `maxOut` samples, when given). */
export function toRate(decoded: DecodedAudio, targetRate: number, maxOut?: number): DecodedAudio {
  return { ...decoded, samples: resample(decoded.samples, decoded.sampleRate, targetRate, DEFAULT_QUALITY, maxOut), sampleRate: targetRate };
}
