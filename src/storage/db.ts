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
  sessions: { key: string; value: StoredSession | StoredHashes };
  models: { key: string; value: { id: string; savedAt: number; [k: string]: unknown } };
}

/**
 * The MD5 of files' bytes (GTZAN's dataset check), by path, size and time, in the sessions store
 * as one record: a new object store would need a database upgrade, which a tab of an older
 * version, still open, would block.
 */
export interface StoredHashes {
  id: 'hashes';
  byFile: Record<string, string>;
}

export const DB_NAME = 'gtzan-lab';

/** Opens the lab's database, or resolves undefined where IndexedDB is missing or refused. */
export async function openLabDb(): Promise<IDBPDatabase<LabSchema> | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  try {
    const db: IDBPDatabase<LabSchema> = await openDB<LabSchema>(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore('features', { keyPath: 'key' });
        d.createObjectStore('sessions', { keyPath: 'id' });
        d.createObjectStore('models', { keyPath: 'id' });
      },
      // A later version of the lab, opened in another tab, wants to upgrade the database: let go
      // of it rather than block that tab (this tab then works in memory, as without IndexedDB).
      blocking() {
        db.close();
      },
    });
    return db;
  } catch {
    return undefined;
  }
}
