import type { IDBPDatabase } from 'idb';
import type { ClipFeatures } from '../dataset/feature-set';
import type { LabSchema, StoredClip, StoredSession } from './db';

/** What identifies a clip's features: where it is, which bytes it has, how they were cut. */
export function clipKey(path: string, size: number, lastModified: number, settingsKey: string): string {
  return `${settingsKey}|${path}|${size}|${lastModified}`;
}

/** The clip path inside a key (settings have no "|"; the path may). */
export function pathOfKey(key: string): string {
  return key.split('|').slice(1, -2).join('|');
}

/** What identifies a file's bytes, whatever the feature settings: for its MD5. */
export function hashKey(path: string, size: number, lastModified: number): string {
  return `${path}|${size}|${lastModified}`;
}

/** The hash key inside a clip key (a clip key is the settings and then the hash key). */
export function hashKeyOfClipKey(key: string): string {
  return key.slice(key.indexOf('|') + 1);
}

export function toStored(key: string, clip: ClipFeatures, seconds: number, encoding: string): StoredClip {
  const segmentLength = clip.segments[0]?.length ?? 0;
  const all = new Float32Array(segmentLength * clip.segments.length);
  clip.segments.forEach((s, i) => { all.set(s, i * segmentLength); });
  return { key, path: clip.path, genre: clip.genre, seconds, encoding, segmentLength, count: clip.segments.length, data: all.buffer };
}

export function fromStored(s: StoredClip, genre = s.genre): ClipFeatures {
  const all = new Float32Array(s.data);
  const segments = Array.from({ length: s.count }, (_, i) => all.slice(i * s.segmentLength, (i + 1) * s.segmentLength));
  return { path: s.path, genre, segments };
}

/**
 * Cached clip features. Backed by IndexedDB when the browser allows it; otherwise (private
 * windows, storage full) it keeps working in memory and says so through `persistent`.
 */
export class FeatureStore {
  private memory = new Map<string, StoredClip>();
  private hashMemo = new Map<string, string>();
  private session: StoredSession | undefined;
  constructor(private db: IDBPDatabase<LabSchema> | undefined) {}

  get persistent(): boolean {
    return this.db !== undefined;
  }

  /** Why the store fell back to memory, when it did. */
  lastError: string | undefined;

  async get(key: string): Promise<StoredClip | undefined> {
    if (!this.db) return this.memory.get(key);
    try {
      return await this.db.get('features', key);
    } catch (e) {
      this.fail(e);
      return this.memory.get(key);
    }
  }

  async put(clip: StoredClip): Promise<void> {
    if (!this.db) {
      this.memory.set(clip.key, clip);
      return;
    }
    try {
      await this.db.put('features', clip);
    } catch (e) {
      this.fail(e);
      this.memory.set(clip.key, clip);
    }
  }

  /** The MD5s of files' bytes computed before, by hash key. */
  async hashes(): Promise<Map<string, string>> {
    if (this.db) {
      try {
        const r = await this.db.get('sessions', 'hashes');
        if (r && 'byFile' in r) for (const [k, v] of Object.entries(r.byFile)) this.hashMemo.set(k, v);
      } catch {
        // memory only
      }
    }
    return new Map(this.hashMemo);
  }

  /** Adds MD5s to the kept ones (one write for a whole pass). */
  async putHashes(found: Map<string, string>): Promise<void> {
    const all = await this.hashes();
    for (const [k, v] of found) all.set(k, v);
    this.hashMemo = all;
    try {
      await this.db?.put('sessions', { id: 'hashes', byFile: Object.fromEntries(all) });
    } catch {
      // kept in memory; the features matter more than their hashes
    }
  }

  /** Which of these keys are stored: one read of the keys, not of the features. */
  async presentKeys(keys: readonly string[]): Promise<Set<string>> {
    let stored: Iterable<string> = this.memory.keys();
    if (this.db) {
      try {
        stored = await this.db.getAllKeys('features');
      } catch {
        // fall back to what memory holds
      }
    }
    const all = new Set(stored);
    return new Set(keys.filter((k) => all.has(k)));
  }

  async count(): Promise<number> {
    if (!this.db) return this.memory.size;
    try {
      return await this.db.count('features');
    } catch {
      return this.memory.size;
    }
  }

  async clear(): Promise<void> {
    this.memory.clear();
    this.hashMemo.clear();
    this.session = undefined;
    if (!this.db) return;
    const tx = this.db.transaction(['features', 'sessions'], 'readwrite');
    await Promise.all([tx.objectStore('features').clear(), tx.objectStore('sessions').clear(), tx.done]);
  }

  async saveSession(s: StoredSession): Promise<void> {
    this.session = s;
    if (!this.db) return;
    try {
      await this.db.put('sessions', s);
    } catch (e) {
      this.fail(e);
    }
  }

  async lastSession(): Promise<StoredSession | undefined> {
    if (!this.db) return this.session;
    try {
      const s = await this.db.get('sessions', 'last');
      return s && 'clipKeys' in s ? s : undefined;
    } catch {
      return this.session;
    }
  }

  /** Storage errors (quota exceeded, say) switch the store to memory instead of losing work. */
  private fail(e: unknown): void {
    this.lastError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    this.db = undefined;
  }
}
