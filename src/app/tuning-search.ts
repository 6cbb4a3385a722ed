import type { FeatureSet } from '../dataset/feature-set';
import { toTrainingData } from '../dataset/training-data';
import { ARCHITECTURES, type Architecture } from '../model/architectures/config';
import { DEFAULT_SPLIT, type SplitMode } from '../model/data/split-options';
import type { TrainEvent } from '../model/training/train-protocol';
import { BayesianOptimizer } from '../tuning/bayes-opt';
import { tuningSpace, type Point, type TuningParams } from '../tuning/search-space';
import { bestTrial, runTuning, TRIAL_EARLY_STOPPING, tuningPlan, type TrialOutcome, type TrialStart, type TuningPlan } from '../tuning/tuning-run';
import { openLabDb } from '../storage/db';
import { TuningStore, type KeptTrial, type TuningRecord } from '../storage/tuning-store';
import { ActivityFlag } from './activity';
import { Store } from './store';
import type { TrainerFactory, TrainerPort } from './training-run';
import { DEFAULT_THREADS, DEFAULT_TRAINING_SETTINGS, trainOf, type TrainingSettings } from './training-settings';

export interface TrialRow extends Omit<TrialOutcome, 'status'> {
  n: number;
  params: TuningParams;
  point: Point;
  status: 'running' | 'done' | 'stopped' | 'failed';
}

/** What the search is asked for, before it starts. */
export interface SearchForm {
  trials: number;
  epochsPerTrial: number;
  tuneBatch: boolean;
  maxUnits: number;
  /** The architectures the search chooses between. */
  models: Architecture[];
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** The split tuning judges on: the training settings', by clip in place of the leaky by-segment split. */
export function tuningSplit(base: TrainingSettings | undefined): SplitMode {
  const mode = base?.split ?? 'clip';
  return mode === 'segment' ? 'clip' : mode;
}

/**
 * Step 3 as a plain object: Bayesian optimisation over the models, trials side by side
 * (tuningPlan), each in its own worker, each finished trial kept in this browser so a reload
 * shows it and the search can go on.
 */
export class TuningSearch extends Store {
  form: SearchForm = { trials: 10, epochsPerTrial: 5, tuneBatch: false, maxUnits: 512, models: [...ARCHITECTURES] };
  rows: TrialRow[] = [];
  running = false;
  progress = '';
  message = '';
  /** What each running trial is doing, by trial number. */
  activeTrials: ReadonlyMap<number, string> = new Map();
  plan: TuningPlan | undefined;
  /** The last search, kept in this browser: its trials show after a reload and it can go on. */
  kept: TuningRecord | undefined;
  private readonly workers = new Set<TrainerPort>();
  private stopRequested = false;
  private readonly store: Promise<TuningStore>;
  private readonly activity = new ActivityFlag('tuning', () => this.stop());

  constructor(
    private readonly startTrainer: TrainerFactory,
    store: Promise<TuningStore> = openLabDb().then((db) => new TuningStore(db)),
  ) {
    super();
    this.store = store;
  }

  /** Shows the last search's trials, as a reload or a closed tab left them. */
  async restore(): Promise<void> {
    const record = await (await this.store).load().catch(() => undefined);
    if (!record || this.running || this.rows.length) return;
    // Trials that were running when the page went are not kept: the kept ones are numbered
    // 1, 2, … again so that the search, going on, numbers its new trials after them.
    const trials = [...record.trials].sort((a, b) => a.n - b.n).map((t, i) => ({ ...t, n: i + 1 }));
    this.kept = { ...record, trials };
    this.rows = trials.map((t) => ({ ...t }));
    const s = record.search;
    this.form = { trials: s.trials, epochsPerTrial: s.epochsPerTrial, tuneBatch: s.tuneBatch, maxUnits: s.maxUnits, models: [...s.models] };
    this.changed();
  }

  setForm(change: Partial<SearchForm>): void {
    this.form = { ...this.form, ...change };
    this.changed();
  }

  toggleModel(m: Architecture, on: boolean): void {
    const chosen = new Set(this.form.models);
    if (on) chosen.add(m);
    else chosen.delete(m);
    this.setForm({ models: ARCHITECTURES.filter((a) => chosen.has(a)) });
  }

  /** Whether the form asks for a search that can run. */
  get valid(): boolean {
    const f = this.form;
    return (
      Number.isInteger(f.trials) &&
      f.trials >= 1 &&
      Number.isInteger(f.epochsPerTrial) &&
      f.epochsPerTrial >= 1 &&
      f.maxUnits >= 32 &&
      f.maxUnits <= 512 &&
      f.models.length > 0
    );
  }

  get best(): TrialRow | undefined {
    return bestTrial(this.rows);
  }

  /** Whether the kept search can go on with these features: it did not end, and they are the ones it ran on. */
  continuable(f: FeatureSet | undefined): boolean {
    const k = this.kept;
    if (!k || !f || k.state === 'finished' || k.trials.length >= k.search.trials) return false;
    const d = k.search.dataset;
    return d.clips === f.clips.length && d.genres === f.genres.length && d.segments === f.clips.reduce((n, c) => n + c.segments.length, 0);
  }

  /** Runs a search, or goes on with the kept one (`resume`): its trials stay, the rest are run. */
  async tune(features: FeatureSet, base: TrainingSettings | undefined, resume?: TuningRecord): Promise<void> {
    const seed = resume?.search.seed ?? base?.seed ?? 42;
    const f = this.form;
    const search: TuningRecord['search'] = resume?.search ?? {
      trials: f.trials,
      epochsPerTrial: f.epochsPerTrial,
      tuneBatch: f.tuneBatch,
      maxUnits: f.maxUnits,
      models: f.models,
      seed,
      split: tuningSplit(base),
      dataset: {
        clips: features.clips.length,
        segments: features.clips.reduce((n, c) => n + c.segments.length, 0),
        genres: features.genres.length,
      },
    };
    const optimizer = new BayesianOptimizer(
      tuningSpace({ models: search.models, tuneBatchSize: search.tuneBatch, maxUnits: search.maxUnits }),
      { seed },
    );
    const finished: KeptTrial[] = resume ? [...resume.trials] : [];
    optimizer.restore(finished.map((t) => ({ point: t.point, value: t.status === 'done' ? t.valAccuracy : undefined })));
    const remaining = search.trials - finished.length;
    // The training form's Threads (every core by default) is what tuning may use too.
    const cores = Math.max(1, Math.min(DEFAULT_THREADS, Math.floor(base?.threads ?? DEFAULT_THREADS) || 1));
    const plan = tuningPlan(cores, remaining, featureBytes(features));
    const store = await this.store;
    const keep = (state: TuningRecord['state']) => store.save({ search, trials: finished, state }).catch(() => undefined);
    Object.assign(this, { plan, running: true, stopRequested: false, message: '', progress: '', kept: undefined });
    this.rows = finished.map((t) => ({ ...t }));
    this.changed();
    await keep('running');
    // A trial shows as scored once it is kept, so a reload never loses a trial the page showed.
    let saved = Promise.resolve();
    try {
      await runTuning(
        optimizer,
        remaining,
        plan.lanes,
        {
          runTrial: (t) => this.runTrial(features, t, seed, base, plan.threadsPerTrial, search),
          onStart: (t) => {
            this.rows = [...this.rows, { n: t.n, params: t.params, point: t.point, status: 'running' }];
            this.setTrialProgress(t.n, `Trial ${t.n} of ${search.trials}: starting.`);
          },
          onFinish: (t, outcome) => {
            this.setTrialProgress(t.n, undefined);
            finished.push({ n: t.n, params: t.params, point: t.point, ...outcome });
            saved = saved
              .then(() => keep('running'))
              .then(() => {
                this.rows = this.rows.map((r) => (r.n === t.n ? { ...r, ...outcome } : r));
                this.changed();
              });
          },
          shouldStop: () => this.stopRequested,
        },
        finished.length + 1,
      );
    } finally {
      await saved;
      this.running = false;
      this.activeTrials = new Map();
      const best = this.best;
      this.progress = best ? `Best: trial ${best.n}, validation accuracy ${pct(best.valAccuracy!)}.` : '';
      this.changed();
      await keep(this.stopRequested ? 'stopped' : 'finished');
    }
  }

  stop(): void {
    this.stopRequested = true;
    for (const worker of this.workers) worker.send({ type: 'stop' });
  }

  protected override changed(): void {
    this.activity.set(this.running, `trial ${this.rows.filter((r) => r.status !== 'running').length + 1}/${this.form.trials}`);
    super.changed();
  }

  private setTrialProgress(n: number, text: string | undefined) {
    const next = new Map(this.activeTrials);
    if (text === undefined) next.delete(n);
    else next.set(n, text);
    this.activeTrials = next;
    this.changed();
  }

  private runTrial(
    features: FeatureSet,
    trial: TrialStart,
    seed: number,
    base: TrainingSettings | undefined,
    threads: number,
    search: TuningRecord['search'],
  ): Promise<TrialOutcome> {
    const { n, params } = trial;
    const data = toTrainingData(features);
    return new Promise((resolve) => {
      const worker = this.startTrainer((e: TrainEvent) => {
        if (e.type === 'progress' && e.batch) {
          this.setTrialProgress(
            n,
            `Trial ${n} of ${search.trials}: epoch ${e.batch.epoch} of ${search.epochsPerTrial}, batch ${e.batch.batch} of ${e.batch.batches}.`,
          );
        } else if (e.type === 'trial-done') {
          finish({
            valAccuracy: e.valAccuracy,
            valInterval: e.valInterval,
            valClips: e.valClips,
            bestEpoch: e.bestEpoch,
            divergedAt: e.divergedAt,
            seconds: e.seconds,
            status: e.stopped ? 'stopped' : 'done',
          });
        } else if (e.type === 'error') {
          this.message = `Trial ${n} failed: ${e.message}`;
          finish({ status: 'failed' });
        }
      });
      const finish = (outcome: TrialOutcome) => {
        worker.dispose();
        this.workers.delete(worker);
        resolve(outcome);
      };
      this.workers.add(worker);
      worker.send(
        {
          type: 'trial',
          data,
          backend: base?.backend ?? 'auto',
          threads,
          options: {
            model: {
              architecture: params.model,
              filters: params.filters,
              lstmUnits: [params.lstmUnits, params.lstmUnits],
              denseUnits: params.denseUnits,
              dropout: params.dropout,
              learningRate: params.learningRate,
            },
            train: {
              ...trainOf(base ?? DEFAULT_TRAINING_SETTINGS),
              epochs: search.epochsPerTrial,
              batchSize: params.batchSize,
              seed,
              earlyStopping: base?.earlyStopping || TRIAL_EARLY_STOPPING,
            },
            split: { ...DEFAULT_SPLIT, mode: search.split, seed },
            fastLstm: base?.fastLstm ?? true,
          },
        },
        [data.x.buffer, data.labels.buffer, data.clipOf.buffer],
      );
    });
  }
}

/** The features' size in bytes, as each trial's copy holds them. */
function featureBytes(f: FeatureSet): number {
  return f.clips.reduce((n, c) => n + c.segments.length, 0) * f.frames * f.coefficients * 4;
}
