import { DEFAULT_SETTINGS, type FeatureSettings } from '../dsp/settings';

/**
 * The feature types the page offers: the recipe's 13 MFCCs, and log-mel spectrograms with 64 or
 * 128 mel bands (what convolutional networks for genre recognition usually read). Everything
 * else (framing, FFT, filterbank, dB floor, segments) is the recipe's in all three.
 */
export const FEATURE_CHOICES = [
  { id: 'mfcc', label: 'MFCC, 13 coefficients (the recipe)', settings: DEFAULT_SETTINGS },
  { id: 'logmel64', label: 'Log-mel spectrogram, 64 bands', settings: { ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 64 } },
  { id: 'logmel128', label: 'Log-mel spectrogram, 128 bands', settings: { ...DEFAULT_SETTINGS, featureType: 'logmel', nMels: 128 } },
] as const satisfies readonly { id: string; label: string; settings: FeatureSettings }[];

export type FeatureChoice = (typeof FEATURE_CHOICES)[number]['id'];

const STORAGE_KEY = 'gtzan-lab.features';

export function settingsOfChoice(id: FeatureChoice): FeatureSettings {
  return { ...(FEATURE_CHOICES.find((c) => c.id === id) ?? FEATURE_CHOICES[0]).settings };
}

/** The choice kept from the last visit (so its cached features are offered again), else MFCC. */
export function savedChoice(): FeatureChoice {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return FEATURE_CHOICES.some((c) => c.id === v) ? (v as FeatureChoice) : 'mfcc';
  } catch {
    return 'mfcc';
  }
}

export function saveChoice(id: FeatureChoice): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, id);
  } catch {
    // Storage refused (a private window): the choice lasts until reload.
  }
}
