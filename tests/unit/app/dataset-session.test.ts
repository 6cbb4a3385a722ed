import { describe, expect, it } from 'vitest';
import { DatasetSession } from '../../../src/app/dataset-session';
import { parseDataJson } from '../../../src/dataset/data-json';
import type { FeatureSet } from '../../../src/dataset/feature-set';
import type { WorkerPool } from '../../../src/features/pool';
import { FeatureStore } from '../../../src/storage/feature-store';
import { fakeFeatures } from '../../fixtures/app-fakes';

/** A pool whose one job reads a dropped features file as `set`. */
function readingPool(set: FeatureSet): WorkerPool {
  return {
    run: async () => ({ ok: true, kind: 'data-json', id: 0, settings: set.settings, genres: set.genres, frames: set.frames, coefficients: set.coefficients, clips: set.clips }),
    terminate: () => undefined,
  } as unknown as WorkerPool;
}

function session(set = fakeFeatures()) {
  const s = new DatasetSession({ openStore: async () => new FeatureStore(undefined), createPool: () => readingPool(set) });
  const offered: (FeatureSet | undefined)[] = [];
  s.onFeatures = (f) => offered.push(f);
  return { s, offered };
}

const dropped = (path: string) => ({ files: [{ path, file: new File(['{}'], path) }], unreadable: [] });

describe('the dataset session', () => {
  it('a data.json dropped on its own is read, summarised and offered to the page', async () => {
    const { s, offered } = session();
    await s.filesChosen(dropped('data.json'));
    await expect.poll(() => offered.length).toBe(1);
    expect(offered[0]?.clips).toHaveLength(12);
    expect(s.summary?.source).toMatch(/^Features from data\.json: 12 clips, 130 frames × 13 coefficients/);
    expect(s.summary?.rows.map((r) => r.genre)).toEqual(['blues', 'classical', 'country']);
    expect(s.busy).toBe('');
  });

  it('says so when the features in hand cannot be extracted again with a new choice (no folder this visit)', async () => {
    const { s } = session();
    await s.filesChosen(dropped('data.npz'));
    await expect.poll(() => s.features).toBeDefined();
    await s.useChoice('logmel64');
    expect(s.choice).toBe('logmel64');
    expect(s.message).toMatch(/^Choose the dataset folder again to extract it as/);
  });

  it('exports the features in hand as a data.json that reads back the same', async () => {
    const { s } = session();
    await s.filesChosen(dropped('data.json'));
    await expect.poll(() => s.features).toBeDefined();
    const blob = await s.exportDataJson();
    const back = parseDataJson(JSON.parse(await blob!.text()));
    expect(back.clips.map((c) => c.path)).toEqual(s.features!.clips.map((c) => c.path));
    expect(s.busy).toBe('');
  });

  it('opens a clip in the inspector with its cached features, and closes it, telling its views each time', async () => {
    const { s } = session();
    await s.filesChosen(dropped('data.json'));
    await expect.poll(() => s.features).toBeDefined();
    let heard = 0;
    s.subscribe(() => heard++);
    s.inspect('set/blues/blues.00001.wav', true);
    expect(s.inspecting).toMatchObject({ path: 'set/blues/blues.00001.wav', play: true, explain: false });
    expect(s.inspecting?.segments).toHaveLength(2);
    s.closeInspector();
    expect(s.inspecting).toBeUndefined();
    expect(heard).toBe(2);
  });

  it('a folder without genre folders is refused with the reason, and nothing is extracted', async () => {
    const { s, offered } = session();
    await s.filesChosen({ files: [{ path: 'a.wav', file: new File([''], 'a.wav') }, { path: 'b.wav', file: new File([''], 'b.wav') }], unreadable: [] });
    expect(s.message).not.toBe('');
    expect(s.running).toBeUndefined();
    expect(offered).toEqual([]);
  });
});
