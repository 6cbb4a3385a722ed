import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SETTINGS, sessionOptionsOf, settingsOfPreset, settingsProblem, TrainingSettingsStore, type FeatureDefaults } from '../../../src/app/training-settings';
import { parseArgs } from '../../../src/cli/args';
import { presetOf, TRAIN_BOOLEAN_FLAGS, TRAIN_VALUE_FLAGS, trainOptions } from '../../../src/cli/train-options';
import { PRESET_NAMES } from '../../../src/model/training/presets';

const mfcc: FeatureDefaults = { typeChanged: true, fittingPreset: 'recipe', usualModel: 'lstm', split: 'filtered', gtzan: true };
const logmel: FeatureDefaults = { typeChanged: true, fittingPreset: 'cnn', usualModel: 'cnn', split: 'filtered', gtzan: true };

describe('the training settings store', () => {
  it('a preset changes only the model and training it names: split, seed, backend and threads stay', () => {
    const store = new TrainingSettingsStore();
    store.set('split', 'segment');
    store.set('seed', 7);
    store.set('threads', 1);
    store.usePreset('fast');
    expect(store.settings).toMatchObject({ preset: 'fast', model: 'conv1d', epochs: 20, split: 'segment', seed: 7, threads: 1 });
  });

  it('features of another type keep a chosen preset and a chosen split (Fast, then its 13 MFCCs extracted)', () => {
    const store = new TrainingSettingsStore();
    store.featuresChanged({ ...logmel, typeChanged: true });
    expect(store.settings).toMatchObject({ preset: 'cnn', split: 'filtered' });
    store.set('split', 'clip');
    store.usePreset('fast');
    store.featuresChanged({ ...mfcc, typeChanged: true });
    expect(store.settings).toMatchObject({ preset: 'fast', model: 'conv1d', epochs: 20, split: 'clip' });
  });

  it('a field set by hand keeps the whole model when the feature type changes', () => {
    const store = new TrainingSettingsStore();
    store.set('epochs', 3);
    store.featuresChanged(logmel);
    expect(store.settings).toMatchObject({ preset: 'custom', model: 'lstm', epochs: 3 });
  });

  it('untouched settings take the features\' preset and the page\'s split, with its reason', () => {
    const store = new TrainingSettingsStore();
    store.featuresChanged({ ...logmel, split: 'artist', splitReason: 'why' });
    expect(store.settings).toMatchObject({ preset: 'cnn', model: 'cnn', split: 'artist' });
    expect(store.splitReason).toBe('why');
    store.featuresChanged({ ...mfcc, split: 'clip', gtzan: false });
    expect(store.settings).toMatchObject({ preset: 'recipe', split: 'clip' });
  });

  it('a chosen GTZAN split falls back to by clip, saying so, only on clips without GTZAN\'s names', () => {
    const store = new TrainingSettingsStore();
    store.set('split', 'artist');
    store.featuresChanged({ ...mfcc, typeChanged: false, split: 'filtered' });
    expect(store.settings.split).toBe('artist');
    store.featuresChanged({ ...mfcc, typeChanged: false, split: 'clip', gtzan: false });
    expect(store.settings.split).toBe('clip');
    expect(store.splitReason).toMatch(/^The by-artist split you chose needs GTZAN's clip names/);
  });

  it('settings loaded from a run count as chosen: new features change none of them', () => {
    const store = new TrainingSettingsStore();
    store.load({ ...DEFAULT_TRAINING_SETTINGS, preset: 'custom', model: 'conv1d', split: 'clip', epochs: 5 });
    store.featuresChanged(logmel);
    expect(store.settings).toMatchObject({ preset: 'custom', model: 'conv1d', split: 'clip', epochs: 5 });
  });

  it('tells its listeners of every change', () => {
    const store = new TrainingSettingsStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.set('epochs', 2);
    store.usePreset('recipe');
    off();
    store.set('epochs', 3);
    expect(calls).toBe(2);
  });
});

describe('settings → a session\'s options', () => {
  it('npm run train with a preset and flags builds what the page builds from the same settings', () => {
    for (const name of PRESET_NAMES) {
      const args = parseArgs(['data.json', '--preset', name, '--epochs', '3', '--split', 'segment', '--seed', '7'], { values: TRAIN_VALUE_FLAGS, booleans: TRAIN_BOOLEAN_FLAGS });
      const page = sessionOptionsOf({ ...settingsOfPreset(name, DEFAULT_TRAINING_SETTINGS), epochs: 3, split: 'segment', seed: 7 });
      expect(trainOptions(args, presetOf(args))).toEqual(page);
    }
  });

  it('the split takes the settings\' seed, and the LSTM is two layers of the settings\' units', () => {
    const o = sessionOptionsOf({ ...DEFAULT_TRAINING_SETTINGS, seed: 9, split: 'artist', lstmUnits: 32, fastLstm: false });
    expect(o.split).toMatchObject({ mode: 'artist', seed: 9 });
    expect(o.model.lstmUnits).toEqual([32, 32]);
    expect(o.fastLstm).toBe(false);
  });

  it('names the setting out of range for the features in hand, and none when they can train', () => {
    const shape = { frames: 130, coefficients: 13, genres: ['blues', 'rock'] };
    expect(settingsProblem(shape, DEFAULT_TRAINING_SETTINGS)).toBeUndefined();
    expect(settingsProblem(shape, { ...DEFAULT_TRAINING_SETTINGS, dropout: 1.5 })).toMatch(/ropout/);
  });
});
