import type { FeatureSettings } from '../../dsp/settings';
import { featureLabel, featureTypeOf } from '../../dsp/settings';
import type { ModelConfig, TrainConfig } from '../architectures/config';

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
  model: Omit<ModelConfig, 'frames' | 'coefficients' | 'classes'>;
  train: Omit<TrainConfig, 'seed'>;
}

/**
 * The presets. `recipe` is the reference recipe as it was (no early stopping: it had none).
 * `cnn` is the model that generalises across artists on real music (docs/benchmarks.md has the
 * measurements that chose it). `fast` trains a good model in under a minute on GTZAN-sized data.
 */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  recipe: {
    name: 'recipe',
    summary: 'the reference recipe exactly: LSTM 64 → LSTM 64 → Dense 64 → Dropout 0.3, Adam 1e-4, batch 32, 30 epochs, 13 MFCCs',
    features: { featureType: 'mfcc', values: 13 },
    model: { architecture: 'lstm', lstmUnits: [64, 64], denseUnits: 64, dropout: 0.3, learningRate: 1e-4 },
    train: { epochs: 30, batchSize: 32, standardize: false },
  },
  cnn: {
    name: 'cnn',
    summary: 'the best model for honest splits: the 2-D CNN on 64-band log-mel, standardised, masked and shifted, cosine schedule, early stopping on validation loss',
    features: { featureType: 'logmel', values: 64 },
    model: { architecture: 'cnn', filters: 16, lstmUnits: [64, 64], denseUnits: 64, dropout: 0.3, learningRate: 1e-3 },
    train: {
      epochs: 60, batchSize: 32, standardize: true, augment: { timeMask: 20, freqMask: 8, shift: 30 },
      earlyStopping: 12, schedule: 'cosine',
    },
  },
  fast: {
    name: 'fast',
    summary: 'a good model in under a minute on GTZAN-sized data: the 1-D CNN on 13 MFCCs, standardised, early stopping',
    features: { featureType: 'mfcc', values: 13 },
    model: { architecture: 'conv1d', filters: 16, lstmUnits: [64, 64], denseUnits: 64, dropout: 0.3, learningRate: 1e-3 },
    train: { epochs: 20, batchSize: 32, standardize: true, earlyStopping: 5, schedule: 'constant' },
  },
};

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
