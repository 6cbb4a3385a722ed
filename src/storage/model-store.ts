import type { IDBPDatabase } from 'idb';
import type { ModelFiles } from '../saving/artifacts';
import type { Evaluation } from '../evaluation/evaluate';
import type { ModelMetadata } from '../saving/metadata';
import type { LabSchema } from './db';

/**
 * 'last' is the last model that finished training. A checkpoint — the model after the last
 * completed epoch of a run — is kept per run, as 'checkpoint:<run id>', so a run finishing in one
 * tab never removes the checkpoint of a run in another. ('checkpoint' alone is an older lab's.)
 */
export type ModelSlot = 'last' | 'checkpoint' | `checkpoint:${string}`;

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

export const isCheckpoint = (id: string): boolean => id === 'checkpoint' || id.startsWith('checkpoint:');

/** A run's own id, ordered by time so the newest checkpoint is the last key. */
export function newRunId(now = Date.now()): string {
  return `${now.toString(36).padStart(10, '0')}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * The lock a training run holds while it lives (Web Locks: released when the run ends or its tab
 * closes or reloads), so other tabs can tell a running run's checkpoint from an interrupted one.
 */
export const runLockName = (runId: string): string => `gtzan-lab-run-${runId}`;

/** Holds the run's lock until `done` settles; resolves once the lock is held (at once without Web Locks). */
export function holdRunLock(runId: string, done: Promise<unknown>): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return Promise.resolve();
  return new Promise((held) => {
    void locks.request(runLockName(runId), () => {
      held();
      return done.catch(() => undefined);
    });
  });
}

const runIdOf = (checkpoint: string): string => checkpoint.slice('checkpoint:'.length);

/**
 * Resolves when the run that made this checkpoint ends (its lock is released): at once for one
 * already over. A reloaded tab's old page may still hold its lock for a moment, and another tab's
 * run may stop with an error, leaving its checkpoint interrupted.
 */
export function whenRunEnds(checkpoint: string): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return Promise.resolve();
  return locks.request(runLockName(runIdOf(checkpoint)), () => undefined).then(() => undefined);
}

/** Runs whose lock some tab holds now: their checkpoints are not interrupted. */
async function liveRuns(): Promise<Set<string>> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return new Set();
  const state = await locks.query();
  return new Set((state.held ?? []).map((l) => l.name ?? ''));
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

  /** Checkpoints of runs that no tab is running any more, oldest first. */
  async interruptedCheckpoints(): Promise<ModelSlot[]> {
    const live = await liveRuns();
    return (await this.checkpoints()).filter((id) => !live.has(runLockName(runIdOf(id))));
  }

  /** Checkpoints of runs some tab holds the lock of now (or, just after a reload, still releases). */
  async liveCheckpoints(): Promise<ModelSlot[]> {
    const live = await liveRuns();
    return (await this.checkpoints()).filter((id) => live.has(runLockName(runIdOf(id))));
  }

  private async checkpoints(): Promise<ModelSlot[]> {
    let ids: string[] = [...this.memory.keys()];
    if (this.db) {
      try {
        ids = [...new Set([...ids, ...(await this.db.getAllKeys('models'))])];
      } catch {
        // memory only
      }
    }
    return ids.filter(isCheckpoint).sort() as ModelSlot[];
  }
}
