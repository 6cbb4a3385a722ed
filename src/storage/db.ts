import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** One clip's cached features. Segments are concatenated into one buffer to store one object. */
export interface StoredClip {
  key: string;
  path: string;
  genre: string;
  seconds: number;
  encoding: string;
  segmentLength: number;
  count: number;
  data: ArrayBuffer;
  /** The MD5 of the file's bytes, where it was computed (GTZAN's dataset check). */
  md5?: string;
}

/** The clips of the last dataset, so a reload can offer them back without a new drop. */
export interface StoredSession {
  id: 'last';
  settingsKey: string;
  genres: string[];
  clipKeys: string[];
  savedAt: number;
}

export interface LabSchema extends DBSchema {
  features: { key: string; value: StoredClip };
  sessions: { key: string; value: StoredSession };
  models: { key: string; value: { id: string; savedAt: number; [k: string]: unknown } };
}

export const DB_NAME = 'gtzan-lab';

/** Opens the lab's database, or resolves undefined where IndexedDB is missing or refused. */
export async function openLabDb(): Promise<IDBPDatabase<LabSchema> | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  try {
    return await openDB<LabSchema>(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('features', { keyPath: 'key' });
        db.createObjectStore('sessions', { keyPath: 'id' });
        db.createObjectStore('models', { keyPath: 'id' });
      },
    });
  } catch {
    return undefined;
  }
}
