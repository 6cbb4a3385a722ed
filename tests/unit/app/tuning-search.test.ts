import { describe, expect, it } from 'vitest';
import { TuningSearch, tuningSplit } from '../../../src/app/tuning-search';
import { DEFAULT_TRAINING_SETTINGS } from '../../../src/app/training-settings';
import { TuningStore } from '../../../src/storage/tuning-store';
import { fakeFeatures, fakeTrainers } from '../../fixtures/app-fakes';

/** Trainers that score each trial by its learning rate, so the best trial is known. */
const scoring = () => fakeTrainers((request, emit) => {
  if (request.type !== 'trial') return;
  emit({ type: 'trial-done', valAccuracy: request.options.model.learningRate * 100, epochs: 1, seconds: 0.1, stopped: false });
});

describe('a tuning search', () => {
  it('runs every trial in a worker of its own, keeps them, and names the best', async () => {
    const trainers = scoring();
    const store = new TuningStore(undefined);
    const search = new TuningSearch(trainers.start, Promise.resolve(store));
    search.setForm({ trials: 4, epochsPerTrial: 2, models: ['lstm'] });
    await search.tune(fakeFeatures(), DEFAULT_TRAINING_SETTINGS);
    expect(search.rows.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(trainers.made).toHaveLength(4);
    expect(trainers.made.every((t) => t.disposed)).toBe(true);
    expect(search.best?.valAccuracy).toBe(Math.max(...search.rows.map((r) => r.valAccuracy!)));
    const kept = await store.load();
    expect(kept).toMatchObject({ state: 'finished', search: { trials: 4, epochsPerTrial: 2, models: ['lstm'] } });
    expect(kept?.trials).toHaveLength(4);
    expect(search.running).toBe(false);
    expect(search.progress).toMatch(/^Best: trial \d, validation accuracy/);
  });

  it('after a reload, shows the kept trials numbered from 1 with the search\'s form, and can go on with the same features', async () => {
    const store = new TuningStore(undefined);
    const first = new TuningSearch(scoring().start, Promise.resolve(store));
    first.setForm({ trials: 2, models: ['conv1d'], maxUnits: 256 });
    const features = fakeFeatures();
    await first.tune(features, DEFAULT_TRAINING_SETTINGS);
    await store.save({ ...(await store.load())!, search: { ...(await store.load())!.search, trials: 5 }, state: 'running' });
    const again = new TuningSearch(scoring().start, Promise.resolve(store));
    await again.restore();
    expect(again.rows.map((r) => r.n)).toEqual([1, 2]);
    expect(again.form).toMatchObject({ trials: 5, models: ['conv1d'], maxUnits: 256 });
    expect(again.continuable(features)).toBe(true);
    expect(again.continuable(fakeFeatures({}, 2))).toBe(false);
  });

  it('refuses a form without a model or with a trial count that is not whole', () => {
    const search = new TuningSearch(scoring().start, Promise.resolve(new TuningStore(undefined)));
    expect(search.valid).toBe(true);
    search.toggleModel('lstm', false);
    search.toggleModel('cnn', false);
    search.toggleModel('conv1d', false);
    expect(search.valid).toBe(false);
    search.setForm({ models: ['cnn'], trials: 2.5 });
    expect(search.valid).toBe(false);
  });

  it('judges on the training split, by clip in place of the leaky by-segment one', () => {
    expect(tuningSplit({ ...DEFAULT_TRAINING_SETTINGS, split: 'segment' })).toBe('clip');
    expect(tuningSplit({ ...DEFAULT_TRAINING_SETTINGS, split: 'artist' })).toBe('artist');
  });
});
