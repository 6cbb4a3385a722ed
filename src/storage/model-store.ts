import type { IDBPDatabase } from 'idb';
import type { ModelFiles } from '../model/artifacts';
import type { Evaluation } from '../model/evaluate';
import type { ModelMetadata } from '../model/metadata';
import type { LabSchema } from './db';

/**
 * 'last' is the last model that finished training; 'checkpoint' is the model after the last
 * completed epoch of a run that is (or was, before a reload) still going.
 */
export type ModelSlot = 'last' | 'checkpoint';

export interface StoredModel {
  id: ModelSlot;
  savedAt: number;
  files: ModelFiles;
  metadata: ModelMetadata;
  evaluation?: Evaluation;
  /** For checkpoints: the epoch it holds, of how many. */
  epoch?: number;
  epochs?: number;
}

/** Trained models in IndexedDB, with the same in-memory fallback as the feature cache. */
export class ModelStore {
  private memory = new Map<ModelSlot, StoredModel>();
  constructor(private db: IDBPDatabase<LabSchema> | undefined) {}

  async save(m: StoredModel): Promise<boolean> {
    this.memory.set(m.id, m);
    if (!this.db) return false;
    try {
      await this.db.put('models', m as unknown as LabSchema['models']['value']);
      return true;
    } catch {
      return false;
    }
  }

  async load(id: ModelSlot): Promise<StoredModel | undefined> {
    if (this.db) {
      try {
        const m = await this.db.get('models', id);
        if (m) return m as unknown as StoredModel;
      } catch {
        // fall through to memory
      }
    }
    return this.memory.get(id);
  }

  async remove(id: ModelSlot): Promise<void> {
    this.memory.delete(id);
    try {
      await this.db?.delete('models', id);
    } catch {
      // nothing kept, nothing to remove
    }
  }
}
