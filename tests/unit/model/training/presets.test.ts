import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../src/dsp/settings';
import { DEFAULT_TRAIN, REFERENCE_MODEL, validateConfig } from '../../../../src/model/architectures/config';
import { PRESET_NAMES, PRESETS, presetFeaturesProblem } from '../../../../src/model/training/presets';

describe('presets', () => {
  it('each is a whole, valid setup, and schemas/presets.json holds exactly the named ones', () => {
    expect(Object.keys(PRESETS).sort()).toEqual([...PRESET_NAMES].sort());
    for (const name of PRESET_NAMES) {
      const p = PRESETS[name];
      expect(p.name).toBe(name);
      expect(validateConfig({ ...p.model, frames: 130, coefficients: p.features!.values, classes: 10 }, { ...p.train, seed: 1 })).toBeUndefined();
      for (const key of ['architecture', 'lstmUnits', 'denseUnits', 'dropout', 'learningRate'] as const) expect(p.model[key], `${name}.${key}`).toBeDefined();
      for (const key of ['epochs', 'batchSize', 'standardize'] as const) expect(p.train[key], `${name}.${key}`).toBeDefined();
    }
  });

  it('recipe is the reference recipe exactly, with no early stopping (it had none)', () => {
    const r = PRESETS.recipe;
    expect(r.model).toMatchObject({ ...REFERENCE_MODEL, architecture: 'lstm' });
    expect({ ...r.train, seed: DEFAULT_TRAIN.seed }).toEqual(DEFAULT_TRAIN);
    expect(r.train.earlyStopping ?? 0).toBe(0);
    expect(r.features).toEqual({ featureType: 'mfcc', values: 13 });
  });

  it('cnn stops early and trains on log-mel; fast is small and stops early', () => {
    expect(PRESETS.cnn.model.architecture).toBe('cnn');
    expect(PRESETS.cnn.train.earlyStopping).toBeGreaterThan(0);
    expect(PRESETS.fast.train.earlyStopping).toBeGreaterThan(0);
    expect(PRESETS.cnn.features?.featureType).toBe('logmel');
  });

  it('says which features a preset needs when given others', () => {
    expect(presetFeaturesProblem(PRESETS.recipe, DEFAULT_SETTINGS, 13)).toBeUndefined();
    expect(presetFeaturesProblem(PRESETS.cnn, DEFAULT_SETTINGS, 13)).toBe(`the cnn preset trains on ${PRESETS.cnn.features!.values} log-mel bands; these features are 13 MFCCs`);
    const logmel = { ...DEFAULT_SETTINGS, featureType: 'logmel' as const, nMels: PRESETS.cnn.features!.values };
    expect(presetFeaturesProblem(PRESETS.cnn, logmel, PRESETS.cnn.features!.values)).toBeUndefined();
    expect(presetFeaturesProblem(PRESETS.recipe, logmel, 64)).toMatch(/^the recipe preset trains on 13 MFCCs; these features are /);
  });
});
