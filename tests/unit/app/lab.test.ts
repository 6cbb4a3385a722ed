import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/app/lab';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src/app/training-settings';
import { TRIAL_EARLY_STOPPING } from '../../../src/tuning/tuning-run';
import { ModelStore } from '../../../src/storage/model-store';
import { RunStore, type RunRecord } from '../../../src/storage/run-store';
import { TuningStore } from '../../../src/storage/tuning-store';
import { FeatureStore } from '../../../src/storage/feature-store';
import { fakeFeatures, fakeTrainers } from '../../fixtures/app-fakes';

function lab() {
  const trainers = fakeTrainers();
  const l = new Lab({
    startTrainer: trainers.start,
    models: Promise.resolve(new ModelStore(undefined)),
    tuning: Promise.resolve(new TuningStore(undefined)),
    runs: Promise.resolve(new RunStore(undefined)),
    dataset: { openStore: async () => new FeatureStore(undefined) },
  });
  return { lab: l, trainers };
}

const logmel = { featureType: 'logmel' as const, nMels: 64 };

describe('the lab', () => {
  it('features of the other type bring the preset made for them, and their split', async () => {
    const { lab: l } = lab();
    await l.featuresChanged(fakeFeatures(logmel), undefined);
    expect(l.settings.settings).toMatchObject({ preset: 'cnn', model: 'cnn', standardize: true });
    expect(l.features?.coefficients).toBe(64);
  });

  it('a model the user chose stays when features of the other type arrive', async () => {
    const { lab: l } = lab();
    l.settings.set('model', 'conv1d');
    await l.featuresChanged(fakeFeatures(logmel), undefined);
    expect(l.settings.settings.model).toBe('conv1d');
  });

  it('tuning\'s best goes into the settings as custom, trained with the trials\' early stopping', () => {
    const { lab: l } = lab();
    l.useBest({ model: 'lstm', filters: 16, lstmUnits: 96, denseUnits: 32, dropout: 0.2, learningRate: 1e-3, batchSize: 64 });
    expect(l.settings.settings).toMatchObject({ preset: 'custom', lstmUnits: 96, batchSize: 64, earlyStopping: TRIAL_EARLY_STOPPING });
    expect(l.settings.isChosen('lstmUnits')).toBe(true);
  });

  it('a run that ends is kept in the Runs list, and its model becomes the lab\'s', async () => {
    const { lab: l } = lab();
    const run = { id: 'run:1', savedAt: 1, name: 'one', status: 'stopped', settings: DEFAULT_TRAINING_SETTINGS, modelBytes: 0 } as unknown as RunRecord;
    let heard = 0;
    l.subscribe(() => heard++);
    l.training.onModel({ files: {}, metadata: {} } as never);
    l.training.onRunEnded(run);
    await expect.poll(() => l.runs.runs.map((r) => r.id)).toEqual(['run:1']);
    expect(l.model).toBeDefined();
    expect(heard).toBeGreaterThan(0);
  });

  it('re-running a kept run before its features are loaded says so and starts no worker', async () => {
    const { lab: l, trainers } = lab();
    const run = { id: 'run:2', name: 'two', settings: { ...DEFAULT_TRAINING_SETTINGS, epochs: 3 }, dataset: { name: 'gtzan', clips: 1000 } } as unknown as RunRecord;
    await l.rerun(run);
    expect(l.settings.settings.epochs).toBe(3);
    expect(l.training.message).toMatch(/cannot be re-run before its features are loaded/);
    expect(trainers.made).toHaveLength(0);
  });

  it('a kept run\'s model, chosen to classify with, is named by its source', () => {
    const { lab: l } = lab();
    l.classifyWith({ files: {}, metadata: {} } as never, 'the model of run “one”');
    expect(l.chosenModel?.source).toBe('the model of run “one”');
  });
});
