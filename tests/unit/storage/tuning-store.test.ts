import { describe, expect, it } from 'vitest';
import { TuningStore, type TuningRecord } from '../../../src/storage/tuning-store';

describe('the last tuning search, kept', () => {
  it('keeps what was saved last, without IndexedDB in memory, with its time', async () => {
    const store = new TuningStore(undefined);
    expect(await store.load()).toBeUndefined();
    const search: TuningRecord['search'] = { trials: 12, epochsPerTrial: 5, tuneBatch: false, maxUnits: 512, models: ['lstm'], seed: 3, split: 'clip', dataset: { clips: 10, segments: 100, genres: 2 } };
    const trial = { n: 1, params: { model: 'lstm' as const, lstmUnits: 64, denseUnits: 64, filters: 16, dropout: 0.3, learningRate: 1e-3, batchSize: 32 }, point: [0, 1, 1, 0, 2, 1, 0], status: 'done' as const, valAccuracy: 0.8, seconds: 3 };
    await store.save({ search, trials: [], state: 'running' });
    await store.save({ search, trials: [trial], state: 'running' });
    const back = await store.load();
    expect(back).toMatchObject({ id: 'tuning:last', search, trials: [trial], state: 'running' });
    expect(Date.now() - back!.savedAt).toBeLessThan(60_000);
  });
});
