import type { IDBPDatabase } from 'idb';
import type { ModelFiles } from '../saving/artifacts';
import type { Evaluation } from '../evaluation/evaluate';
import type { ModelMetadata } from '../saving/metadata';
import type { EpochReport } from '../model/training/session';
import type { RunIdentity } from '../model/training/reproduce';
import type { LabSchema } from './db';

/** How many of the latest runs keep their model (the rest keep their numbers only). */
export const MODELS_KEPT = 5;

/** One training run, as the Runs section lists and compares it. */
export interface RunRecord {
  id: `run:${string}`;
  savedAt: number;
  name: string;
  /** diverged: a loss or weight stopped being finite, which ended the run (its model, if any, is of an epoch before). */
  status: 'finished' | 'stopped' | 'failed' | 'diverged';
  /** The training form's settings, to load back. */
  settings: Record<string, unknown>;
  split: { mode: string; seed: number; sizes: string };
  dataset: { name: string; clips: number; segments: number; genres: number };
  epochs: EpochReport[];
  metrics: ModelMetadata['metrics'];
  backend: string;
  seconds: number;
  /** Bytes of its kept model (model.json + weights), 0 once dropped or when it has none. */
  modelBytes: number;
  /** What a re-run repeats and is checked against (runs that made a model). */
  identity?: RunIdentity;
  /** This run repeated another: which, and whether it made that run's weights. */
  rerunOf?: { id: RunRecord['id']; name: string; matched: boolean; why: string };
}

interface RunModel {
  id: `runmodel:${string}`;
  savedAt: number;
  files: ModelFiles;
  metadata: ModelMetadata;
  evaluation?: Evaluation;
}

const modelId = (run: RunRecord['id']): RunModel['id'] => `runmodel:${run.slice(4)}`;

/**
 * Every finished, stopped or failed run, in the lab's IndexedDB (the models store, so no database
 * upgrade is needed), with the model of the latest few. Without IndexedDB it keeps them in memory.
 * A failing write says so to the caller and changes nothing else.
 */
export class RunStore {
  private memory = new Map<string, RunRecord | RunModel>();
  constructor(private readonly db: IDBPDatabase<LabSchema> | undefined) {}

  get persistent(): boolean {
    return this.db !== undefined;
  }

  async list(): Promise<RunRecord[]> {
    let all: unknown[] = [...this.memory.values()];
    if (this.db) {
      const keys = (await this.db.getAllKeys('models')).filter((k) => k.startsWith('run:'));
      all = await Promise.all(keys.map((k) => this.db!.get('models', k)));
    }
    return (all as RunRecord[]).filter((r) => r?.id?.startsWith('run:')).sort((a, b) => b.savedAt - a.savedAt);
  }

  /** Saves a run (and its model, when given), then drops the models of all but the latest few. */
  async save(run: RunRecord, model?: Omit<RunModel, 'id' | 'savedAt'>): Promise<void> {
    const record = { ...run, modelBytes: model ? JSON.stringify(model.files.modelJson).length + model.files.weights.byteLength : 0 };
    await this.put(record);
    if (model) await this.put({ ...model, id: modelId(run.id), savedAt: run.savedAt });
    const withModels = (await this.list()).filter((r) => r.modelBytes > 0);
    for (const old of withModels.slice(MODELS_KEPT)) {
      await this.remove(modelId(old.id));
      await this.put({ ...old, modelBytes: 0 });
    }
  }

  async rename(id: RunRecord['id'], name: string): Promise<void> {
    const run = (await this.list()).find((r) => r.id === id);
    if (run) await this.put({ ...run, name });
  }

  async delete(id: RunRecord['id']): Promise<void> {
    await this.remove(modelId(id));
    await this.remove(id);
  }

  async model(id: RunRecord['id']): Promise<RunModel | undefined> {
    const m = this.db ? await this.db.get('models', modelId(id)) : this.memory.get(modelId(id));
    return m as RunModel | undefined;
  }

  private async put(value: RunRecord | RunModel): Promise<void> {
    if (this.db) await this.db.put('models', value as unknown as LabSchema['models']['value']);
    else this.memory.set(value.id, value);
  }

  private async remove(id: string): Promise<void> {
    if (this.db) await this.db.delete('models', id);
    else this.memory.delete(id);
  }
}
