import shared from '../../schemas/limits.json';

/** What each frame of a segment holds: the recipe's MFCCs, or the log-mel energies they are the DCT of. */
export type FeatureType = 'mfcc' | 'logmel';

export const FEATURE_TYPES: readonly FeatureType[] = ['mfcc', 'logmel'];

/** Every knob of the feature pipeline; the defaults are the reference recipe's. */
export interface FeatureSettings {
  /** Absent in files written before log-mel existed: MFCCs. */
  featureType?: FeatureType;
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

export function featureTypeOf(s: FeatureSettings): FeatureType {
  return s.featureType ?? 'mfcc';
}

/** Values per frame: nMfcc coefficients, or nMels bands for log-mel. */
export function coefficientsPerFrame(s: FeatureSettings): number {
  return featureTypeOf(s) === 'logmel' ? s.nMels : s.nMfcc;
}

/** The settings with `n` values per frame: a file's own matrices say how many coefficients it holds. */
export function withCoefficients(s: FeatureSettings, n: number): FeatureSettings {
  return featureTypeOf(s) === 'logmel' ? { ...s, nMels: n } : { ...s, nMfcc: n };
}

/** "13 MFCCs" or "64 log-mel bands": how the page and the CLI name a feature choice. */
export function featureLabel(s: FeatureSettings): string {
  return featureTypeOf(s) === 'logmel' ? `${s.nMels} log-mel bands` : `${s.nMfcc} MFCCs`;
}

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
  const key = [s.sampleRate, s.nMfcc, s.nFft, s.hopLength, s.nMels, s.segments, s.trackSeconds, s.padMode].join('/');
  // MFCC keys stay as they were before log-mel existed, so caches made then are still found.
  return featureTypeOf(s) === 'mfcc' ? key : `${key}/${featureTypeOf(s)}`;
}

/**
 * Sane ranges for each knob: wide enough for any real use, narrow enough that a file naming
 * absurd values (nMels 4 000 000, nFft 2³², a hop of 0.001) is refused with a message instead of
 * allocating gigabytes or hanging a worker. One check for the form, data.json and metadata.json;
 * the numbers live in schemas/limits.json, which python/train.py and predict.py read too.
 */
export const SETTING_RANGES: Readonly<
  Record<Exclude<keyof FeatureSettings, 'padMode' | 'featureType'>, { min: number; max: number; integer: boolean }>
> = shared.settingRanges;

/** The most values one segment may hold (frames × coefficients): 100 × the recipe's 1 690. */
export const MAX_SEGMENT_VALUES: number = shared.maxSegmentValues;

/** Checks a settings object and names the first field that is out of range. */
export function validateSettings(s: FeatureSettings): string | undefined {
  if (!s || typeof s !== 'object') return 'the feature settings must be an object';
  for (const [k, r] of Object.entries(SETTING_RANGES) as [keyof typeof SETTING_RANGES, (typeof SETTING_RANGES)[keyof typeof SETTING_RANGES]][]) {
    const v = s[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${k} must be a number, got ${JSON.stringify(v) ?? String(v)}`;
    if (r.integer && !Number.isInteger(v)) return `${k} must be a whole number, got ${v}`;
    if (v < r.min || v > r.max) return `${k} must be from ${r.min} to ${r.max}, got ${v}`;
  }
  if ((s.nFft & (s.nFft - 1)) !== 0) return `nFft must be a power of two, got ${s.nFft}`;
  if (s.featureType !== undefined && !FEATURE_TYPES.includes(s.featureType)) return `featureType must be "mfcc" or "logmel"`;
  if (featureTypeOf(s) === 'mfcc' && s.nMfcc > s.nMels) return `nMfcc (${s.nMfcc}) cannot exceed nMels (${s.nMels})`;
  if (s.padMode !== 'constant' && s.padMode !== 'reflect') return `padMode must be "constant" or "reflect"`;
  if (samplesPerSegment(s) < s.hopLength) return 'segments are shorter than one hop';
  const values = framesPerSegment(s) * coefficientsPerFrame(s);
  if (values > MAX_SEGMENT_VALUES) {
    return `segments of ${framesPerSegment(s)} frames × ${coefficientsPerFrame(s)} coefficients are too large (at most ${MAX_SEGMENT_VALUES} values a segment)`;
  }
  return undefined;
}
