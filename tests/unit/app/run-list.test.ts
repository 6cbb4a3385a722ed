import { describe, expect, it } from 'vitest';
import { RunList } from '../../../src/app/run-list';
import { RunStore, type RunRecord } from '../../../src/storage/run-store';

const record = (id: string, name: string) => ({ id, savedAt: Number(id.slice(4)), name, status: 'finished', modelBytes: 0 }) as unknown as RunRecord;

describe('the list of kept runs', () => {
  it('keeps an ended run and lists it', async () => {
    const list = new RunList(Promise.resolve(new RunStore(undefined)));
    await list.add(record('run:1', 'first'));
    expect(list.runs.map((r) => r.name)).toEqual(['first']);
    expect(list.message).toBe('');
  });

  it('a blank new name keeps the old one', async () => {
    const list = new RunList(Promise.resolve(new RunStore(undefined)));
    await list.add(record('run:1', 'first'));
    await list.rename(list.runs[0], '   ');
    expect(list.runs[0].name).toBe('first');
    await list.rename(list.runs[0], ' better ');
    expect(list.runs[0].name).toBe('better');
  });

  it('says when a run could not be kept, and when a run\'s model is gone', async () => {
    const failing = { save: async () => { throw new Error('quota exceeded'); }, list: async () => [], model: async () => undefined } as unknown as RunStore;
    const list = new RunList(Promise.resolve(failing));
    await list.add(record('run:2', 'second'));
    expect(list.message).toBe('This run could not be kept in the browser (quota exceeded); the others are unchanged.');
    expect(await list.model(record('run:2', 'second'))).toBeUndefined();
    expect(list.message).toBe('The model of second is no longer kept.');
  });
});
