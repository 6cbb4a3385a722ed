import type { IDBPDatabase } from 'idb';
import type { Architecture } from '../model/architectures/config';
import type { SplitMode } from '../model/data/split-options';
import type { Point, TuningParams } from '../tuning/search-space';
import type { LabSchema } from './db';

/** One finished trial (done, stopped or failed) of a tuning search. */
export interface KeptTrial {
  n: number;
  params: TuningParams;
  point: Point;
  status: 'done' | 'stopped' | 'failed';
  valAccuracy?: number;
  seconds?: number;
  /** The epoch whose validation scored valAccuracy (early stopping keeps that epoch's weights). */
  bestEpoch?: number;
  /** valAccuracy's 95 % interval over the validation clips (absent in older searches). */
  valInterval?: { low: number; high: number };
  valClips?: number;
}

/** The last tuning search: what was asked, and every trial that finished, kept as each one ends. */
export interface TuningRecord {
  id: 'tuning:last';
  savedAt: number;
  search: {
    trials: number;
    epochsPerTrial: number;
    tuneBatch: boolean;
    maxUnits: number;
    models: Architecture[];
    seed: number;
    split: SplitMode;
    /** The features it ran on, so a restored search is continued only on the same ones. */
    dataset: { clips: number; segments: number; genres: number };
  };
  trials: KeptTrial[];
  /** 'running' when found after a reload: the tab went away before the search ended. */
  state: 'running' | 'finished' | 'stopped';
}

/**
 * Keeps the last tuning search in the lab's IndexedDB (the models store, beside the runs, so the
 * feature cache's Clear leaves it alone), in memory without IndexedDB. A reload during a search
 * loses at most the trials that were running.
 */
export class TuningStore {
  private memory: TuningRecord | undefined;
  constructor(private readonly db: IDBPDatabase<LabSchema> | undefined) {}

  async load(): Promise<TuningRecord | undefined> {
    if (!this.db) return this.memory;
    return (await this.db.get('models', 'tuning:last')) as TuningRecord | undefined;
  }

  async save(record: Omit<TuningRecord, 'id' | 'savedAt'>): Promise<void> {
    const value: TuningRecord = { ...record, id: 'tuning:last', savedAt: Date.now() };
    if (this.db) await this.db.put('models', value as unknown as LabSchema['models']['value']);
    else this.memory = value;
  }
}
