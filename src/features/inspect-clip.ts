import { loadAudio } from '../dsp/load';
import { MfccExtractor } from '../dsp/mfcc';
import { resample } from '../dsp/resample';
import { samplesPerSegment, type FeatureSettings } from '../dsp/settings';

/** What the clip inspector draws: the waveform's outline, and each segment's log-mel and MFCC. */
export interface ClipInspection {
  /** Seconds of audio in the file, and those the segments cover (the first trackSeconds). */
  seconds: number;
  shownSeconds: number;
  /** min, max pairs per column of the waveform over the shown seconds. */
  peaks: Float32Array;
  segmentSeconds: number;
  frames: number;
  nMels: number;
  nMfcc: number;
  /** Per kept segment: its start in seconds, log-mel (frames × nMels, dB) and MFCC (frames × nMfcc). */
  segments: { start: number; logMel: Float32Array; mfcc: Float32Array }[];
}

export const PEAK_COLUMNS = 600;

/**
 * Everything the inspector shows of one clip, computed in a worker with the float64 reference
 * engine (which gives the log-mel the MFCCs are made from): the recipe's segments of its first
 * trackSeconds, and the waveform's outline.
 */
export function inspectClip(
  audio: { bytes: Uint8Array } | { samples: Float32Array; sampleRate: number },
  settings: FeatureSettings,
): ClipInspection {
  let signal: Float32Array;
  let seconds: number;
  if ('bytes' in audio) {
    const loaded = loadAudio(audio.bytes, settings.sampleRate, settings.trackSeconds);
    signal = loaded.samples;
    seconds = loaded.seconds;
  } else {
    seconds = audio.samples.length / audio.sampleRate;
    signal = resample(audio.samples, audio.sampleRate, settings.sampleRate).subarray(0, Math.ceil(settings.trackSeconds * settings.sampleRate));
  }
  const shown = signal.subarray(0, Math.min(signal.length, Math.floor(settings.trackSeconds * settings.sampleRate)));
  const peaks = new Float32Array(2 * PEAK_COLUMNS);
  const per = Math.max(1, shown.length / PEAK_COLUMNS);
  for (let c = 0; c < PEAK_COLUMNS; c++) {
    let lo = 0;
    let hi = 0;
    for (let i = Math.floor(c * per); i < Math.min(shown.length, Math.floor((c + 1) * per)); i++) {
      if (shown[i] < lo) lo = shown[i];
      if (shown[i] > hi) hi = shown[i];
    }
    peaks[2 * c] = lo;
    peaks[2 * c + 1] = hi;
  }
  const ex = new MfccExtractor(settings);
  const size = samplesPerSegment(settings);
  const expected = Math.ceil(size / settings.hopLength);
  const segments: ClipInspection['segments'] = [];
  for (let d = 0; d < settings.segments; d++) {
    const start = d * size;
    const end = Math.min(start + size, signal.length);
    if (end <= start || ex.frameCount(end - start) !== expected) continue;
    segments.push({ start: start / settings.sampleRate, logMel: ex.logMel(signal, start, end), mfcc: ex.mfcc(signal, start, end) });
  }
  return {
    seconds, shownSeconds: shown.length / settings.sampleRate, peaks, segmentSeconds: size / settings.sampleRate,
    frames: expected, nMels: settings.nMels, nMfcc: settings.nMfcc, segments,
  };
}
