import { openLabDb } from '../storage/db';
import { RunStore, type RunRecord } from '../storage/run-store';

/** A run's kept model, as the store gives it back. */
export type RunModel = NonNullable<Awaited<ReturnType<RunStore['model']>>>;
import { Store } from './store';

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The Runs section's list: every run kept in this browser, newest first, and what failed while keeping them. */
export class RunList extends Store {
  runs: RunRecord[] = [];
  message = '';
  private readonly store: Promise<RunStore>;

  constructor(store: Promise<RunStore> = openLabDb().then((db) => new RunStore(db))) {
    super();
    this.store = store;
  }

  /** Adds a run that just ended (and its model), then reads the list again. */
  async add(run: RunRecord, model?: Parameters<RunStore['save']>[1]): Promise<void> {
    try {
      await (await this.store).save(run, model);
      this.message = '';
    } catch (e) {
      this.message = `This run could not be kept in the browser (${why(e)}); the others are unchanged.`;
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.runs = await (await this.store).list();
    } catch (e) {
      this.message = `The runs could not be read (${why(e)}).`;
    }
    this.changed();
  }

  async rename(r: RunRecord, name: string): Promise<void> {
    await (await this.store).rename(r.id, name.trim() || r.name);
    await this.refresh();
  }

  async delete(r: RunRecord): Promise<void> {
    await (await this.store).delete(r.id);
    await this.refresh();
  }

  /** A run's kept model, or undefined (the message says so) when it is no longer kept. */
  async model(r: RunRecord): Promise<RunModel | undefined> {
    const m = await (await this.store).model(r.id);
    if (!m) {
      this.message = `The model of ${r.name} is no longer kept.`;
      this.changed();
    }
    return m;
  }
}
