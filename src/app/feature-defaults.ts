import type { FeatureSet } from '../dataset/feature-set';
import type { GtzanSummary } from '../dataset/gtzan';
import { splitInputOf } from '../dataset/training-data';
import { featureTypeOf, type FeatureSettings } from '../dsp/settings';
import { presetForFeatures } from '../model/training/presets';
import type { FeatureDefaults } from './training-settings';

/**
 * What new features offer the training settings: features of the other type (MFCC / log-mel)
 * bring the preset made for them (the cnn preset for 64 log-mel bands, the recipe for 13 MFCCs)
 * or their usual model, and the split the page chooses for these clips. `before`: the settings
 * of the features in hand until now (none: MFCCs, the page's first choice).
 */
export async function featureDefaults(
  f: FeatureSet,
  before: FeatureSettings | undefined,
  gtzan: GtzanSummary | undefined,
  seed: number,
): Promise<FeatureDefaults> {
  // The split code (with GTZAN's lists) loads on first use, not with the page.
  const { defaultSplit } = await import('../evaluation/default-split');
  const split = defaultSplit(splitInputOf(f), gtzan ?? { recognized: false, filteredFits: false }, seed);
  const type = featureTypeOf(f.settings);
  return {
    typeChanged: type !== (before ? featureTypeOf(before) : 'mfcc'),
    fittingPreset: presetForFeatures(f.settings, f.coefficients),
    usualModel: type === 'logmel' ? 'cnn' : 'lstm',
    split: split.mode,
    splitReason: split.reason,
    gtzan: !!gtzan?.recognized,
  };
}
