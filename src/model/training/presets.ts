import type { FeatureSettings } from '../../dsp/settings';
import { featureLabel, featureTypeOf } from '../../dsp/settings';
import type { ModelSettings, TrainConfig } from '../architectures/config';
import shared from '../../../schemas/presets.json';

export const PRESET_NAMES = ['recipe', 'cnn', 'fast'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** What a preset trains on, when it needs one kind of features. */
export interface PresetFeatures {
  featureType: 'mfcc' | 'logmel';
  /** Log-mel bands (or MFCCs) per frame. */
  values: number;
}

/** A whole training setup under one name: the model, how it trains, and the features it needs. */
export interface Preset {
  name: PresetName;
  /** One line: what it is for. */
  summary: string;
  features?: PresetFeatures;
  model: ModelSettings;
  train: Omit<TrainConfig, 'seed'>;
}

/**
 * The presets, from schemas/presets.json, which python/train.py reads too. `recipe` is the
 * reference recipe as it was (no early stopping: it had none). `cnn` is the model that
 * generalises across artists on real music (docs/benchmarks.md has the measurements that chose
 * it). `fast` trains a good model in under a minute on GTZAN-sized data.
 */
export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.fromEntries(
  (shared.presets as unknown as Preset[]).map((p) => [p.name, p]),
) as Record<PresetName, Preset>;

/** The features a preset's data must hold, in words: "64 log-mel bands". */
export function presetFeaturesLabel(f: PresetFeatures): string {
  return f.featureType === 'logmel' ? `${f.values} log-mel bands` : `${f.values} MFCCs`;
}

/** Why these features do not suit the preset, or undefined. */
export function presetFeaturesProblem(preset: Preset, features: FeatureSettings, valuesPerFrame: number): string | undefined {
  const want = preset.features;
  if (!want) return undefined;
  if (featureTypeOf(features) === want.featureType && valuesPerFrame === want.values) return undefined;
  return `the ${preset.name} preset trains on ${presetFeaturesLabel(want)}; these features are ${featureLabel(features)}`;
}

/** The preset made for these features (cnn for 64 log-mel bands, recipe for 13 MFCCs), if one is. */
export function presetForFeatures(features: FeatureSettings, valuesPerFrame: number): PresetName | undefined {
  return (['cnn', 'recipe', 'fast'] as const).find((n) => !presetFeaturesProblem(PRESETS[n], features, valuesPerFrame));
}
