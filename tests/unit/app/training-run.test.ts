import { describe, expect, it } from 'vitest';
import { TrainingRun } from '../../../src/app/training-run';
import { DEFAULT_TRAINING_SETTINGS, sessionOptionsOf } from '../../../src/app/training-settings';
import type { ModelFiles } from '../../../src/saving/artifacts';
import type { ModelMetadata } from '../../../src/saving/metadata';
import { ModelStore } from '../../../src/storage/model-store';
import type { RunRecord } from '../../../src/storage/run-store';
import { fakeFeatures, fakeTrainers } from '../../fixtures/app-fakes';

const metadata = { split: { sizes: '8 / 2 / 2 clips' }, metrics: null } as unknown as ModelMetadata;
const files = { weights: new ArrayBuffer(8) } as unknown as ModelFiles;

describe('a training run', () => {
  it('sends its worker the session options the settings make, with the features', async () => {
    const trainers = fakeTrainers();
    const run = new TrainingRun(trainers.start, Promise.resolve(new ModelStore(undefined)));
    const settings = { ...DEFAULT_TRAINING_SETTINGS, epochs: 4, backend: 'cpu' as const, threads: 2 };
    await run.train(fakeFeatures(), settings, undefined);
    const sent = trainers.made[0].sent[0];
    expect(sent).toMatchObject({ type: 'train', backend: 'cpu', threads: 2, options: sessionOptionsOf(settings) });
    expect(run.running).toBe(true);
    expect(run.epochsPlanned).toBe(4);
  });

  it('a stopped run gives its model to the page, keeps it, and reports the run as stopped', async () => {
    const trainers = fakeTrainers();
    const store = new ModelStore(undefined);
    const run = new TrainingRun(trainers.start, Promise.resolve(store));
    const models: unknown[] = [];
    const ended: RunRecord[] = [];
    run.onModel = (m) => models.push(m);
    run.onRunEnded = (r) => ended.push(r);
    await run.train(fakeFeatures(), DEFAULT_TRAINING_SETTINGS, '8 / 2 / 2 clips');
    trainers.made[0].emit({ type: 'done', files, metadata, evaluation: undefined as never, history: [], stopped: true });
    await expect.poll(() => ended.length).toBe(1);
    expect(ended[0]).toMatchObject({ status: 'stopped', split: { mode: 'clip', sizes: '8 / 2 / 2 clips' }, dataset: { name: 'set', clips: 12, genres: 3 } });
    expect(models.at(-1)).toMatchObject({ metadata });
    expect(run.running).toBe(false);
    expect(run.message).toMatch(/^Stopped after 0 complete epochs/);
    expect(await store.load('last')).toMatchObject({ metadata });
    expect(trainers.made[0].disposed).toBe(true);
  });

  it('a worker\'s error ends the run with the reason, and the run is reported as failed', async () => {
    const trainers = fakeTrainers();
    const run = new TrainingRun(trainers.start, Promise.resolve(new ModelStore(undefined)));
    const ended: RunRecord[] = [];
    run.onRunEnded = (r) => ended.push(r);
    await run.train(fakeFeatures(), DEFAULT_TRAINING_SETTINGS, undefined);
    trainers.made[0].emit({ type: 'error', message: 'WebGL context lost' });
    await expect.poll(() => ended.length).toBe(1);
    expect(ended[0].status).toBe('failed');
    expect(run.message).toMatch(/Training stopped: WebGL context lost.*Choose the WASM backend/);
  });

  it('stop asks the worker to stop and says it is stopping', async () => {
    const trainers = fakeTrainers();
    const run = new TrainingRun(trainers.start, Promise.resolve(new ModelStore(undefined)));
    await run.train(fakeFeatures(), DEFAULT_TRAINING_SETTINGS, undefined);
    run.stop();
    expect(trainers.made[0].sent.at(-1)).toEqual({ type: 'stop' });
    expect(run.stopping).toBe(true);
  });
});
