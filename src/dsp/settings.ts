/** Every knob of the feature pipeline; the defaults are the reference recipe's. */
export interface FeatureSettings {
  sampleRate: number;
  nMfcc: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  /** Equal segments cut from the first `trackSeconds` of a clip. */
  segments: number;
  trackSeconds: number;
  /** Padding of center=True framing: zeros (librosa ≥ 0.10) or reflection (librosa < 0.10). */
  padMode: 'constant' | 'reflect';
}

export const DEFAULT_SETTINGS: Readonly<FeatureSettings> = Object.freeze({
  sampleRate: 22050,
  nMfcc: 13,
  nFft: 2048,
  hopLength: 512,
  nMels: 128,
  segments: 10,
  trackSeconds: 30,
  padMode: 'constant',
});

export function samplesPerSegment(s: FeatureSettings): number {
  return Math.floor((s.sampleRate * s.trackSeconds) / s.segments);
}

/** Frames that center=True framing gives for `n` samples: one per hop, from sample 0. */
export function centeredFrameCount(n: number, hopLength: number): number {
  return 1 + Math.floor(n / hopLength);
}

/** Frames a segment must have to be kept (the recipe's ceil rule). */
export function framesPerSegment(s: FeatureSettings): number {
  return Math.ceil(samplesPerSegment(s) / s.hopLength);
}

/** A stable string for cache keys: two settings with the same key give the same features. */
export function settingsKey(s: FeatureSettings): string {
  return [s.sampleRate, s.nMfcc, s.nFft, s.hopLength, s.nMels, s.segments, s.trackSeconds, s.padMode].join('/');
}

/** Checks a settings object and names the first field that is out of range. */
export function validateSettings(s: FeatureSettings): string | undefined {
  const positive: (keyof FeatureSettings)[] = ['sampleRate', 'nMfcc', 'nFft', 'hopLength', 'nMels', 'segments', 'trackSeconds'];
  for (const k of positive) {
    const v = s[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return `${k} must be a positive number, got ${String(v)}`;
  }
  if ((s.nFft & (s.nFft - 1)) !== 0) return `nFft must be a power of two, got ${s.nFft}`;
  if (s.nMfcc > s.nMels) return `nMfcc (${s.nMfcc}) cannot exceed nMels (${s.nMels})`;
  if (s.padMode !== 'constant' && s.padMode !== 'reflect') return `padMode must be "constant" or "reflect"`;
  if (samplesPerSegment(s) < s.hopLength) return 'segments are shorter than one hop';
  return undefined;
}
