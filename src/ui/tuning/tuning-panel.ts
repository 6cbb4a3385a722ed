import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FeatureSet } from '../../dataset/feature-set';
import { BayesianOptimizer } from '../../model/tuning/bayes-opt';
import { toTrainingData } from '../../dataset/training-data';
import { ARCHITECTURES, type Architecture } from '../../model/architectures/config';
import { tuningSpace, type Point, type TuningParams } from '../../model/tuning/search-space';
import { bestTrial, runTuning, TRIAL_EARLY_STOPPING, tuningPlan, type TrialOutcome, type TrialStart, type TuningPlan } from '../../model/tuning/tuning-run';
import { DEFAULT_SPLIT, describeSplit, type SplitMode } from '../../model/data/split-options';
import type { TrainEvent } from '../../model/training/train-protocol';
import { openLabDb } from '../../storage/db';
import { TuningStore, type KeptTrial, type TuningRecord } from '../../storage/tuning-store';
import { ActivityFlag } from '../../app/activity';
import { previewSplit, type SplitPreview } from '../training/split-preview';
import { panelStyles } from '../shared/styles';
import { TrainerClient } from '../shared/trainer-client';
import { DEFAULT_THREADS, DEFAULT_TRAINING_SETTINGS, MODEL_NAMES, trainOf, type TrainingSettings } from '../../app/training-settings';
import { charts } from '../shared/vis';
import { intervalText } from '../../model/evaluation/describe-metrics';

export interface TrialRow extends Omit<TrialOutcome, 'status'> {
  n: number;
  params: TuningParams;
  point: Point;
  status: 'running' | 'done' | 'stopped' | 'failed';
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * Step 3: Bayesian optimisation over the models and their sizes and rates, each trial judged by
 * validation accuracy. Trials run side by side, one per core (tuningPlan), each in its own worker,
 * so each frees its tensors when it ends.
 */
@customElement('tuning-panel')
export class TuningPanel extends LitElement {
  static override styles = [panelStyles, css`
    label { display: inline-flex; flex-direction: column; gap: 0.2rem; margin-right: 1rem; font-size: 0.92rem; }
    label.check { flex-direction: row; align-items: center; gap: 0.4rem; }
    fieldset.models { display: inline-flex; gap: 0.8rem; border: 1px solid #c5ced8; border-radius: 4px; padding: 0.2rem 0.6rem; margin: 0 1rem 0 0; }
    fieldset.models legend { font-size: 0.92rem; }
    input { font: inherit; padding: 0.3rem; border: 1px solid #8796a5; border-radius: 4px; width: 7rem; }
    /* Twelve columns fit 800 px in a smaller type; narrower screens scroll the table, not the page. */
    .table-scroll { overflow-x: auto; max-width: 100%; }
    table[data-testid=trials] { font-size: 0.82rem; }
    table[data-testid=trials] th, table[data-testid=trials] td { padding-right: 0.5rem; }
    tr.best th, tr.best td { background: #eaf6ea; font-weight: 600; }
  `];

  @property({ attribute: false }) features: FeatureSet | undefined;
  /** Seed, standardisation and backend come from the training form. */
  @property({ attribute: false }) base: TrainingSettings | undefined;
  @state() private trials = 10;
  @state() private epochsPerTrial = 5;
  @state() private tuneBatch = false;
  @state() private maxUnits = 512;
  /** The architectures the search chooses between. */
  @state() private models: Architecture[] = [...ARCHITECTURES];
  @state() private rows: TrialRow[] = [];
  @state() private running = false;
  @state() private progress = '';
  @state() private message = '';
  /** What each running trial is doing, by trial number. */
  @state() private activeTrials: ReadonlyMap<number, string> = new Map();
  @state() private plan: TuningPlan | undefined;
  @state() private preview: SplitPreview | undefined;
  /** The last search, kept in this browser: its trials show after a reload and it can go on. */
  @state() private kept: TuningRecord | undefined;
  private readonly clients = new Set<TrainerClient>();
  private stopRequested = false;
  private readonly store: Promise<TuningStore> = openLabDb().then((db) => new TuningStore(db));
  // No "Leave site?" prompt while trials run: a reload keeps every finished trial and offers to go
  // on with the rest, as training keeps its checkpoint. A prompt holds a reload until someone
  // answers it, and where dialogs are dismissed (a browser driven by a script) the reload never
  // happens: the old page tunes on and the new page's load event never comes.
  override connectedCallback(): void {
    super.connectedCallback();
    void this.restore();
  }

  /** Shows the last search's trials, as a reload or a closed tab left them. */
  private async restore(): Promise<void> {
    const record = await (await this.store).load().catch(() => undefined);
    if (!record || this.running || this.rows.length) return;
    // Trials that were running when the page went are not kept: the kept ones are numbered
    // 1, 2, … again so that the search, going on, numbers its new trials after them.
    const trials = [...record.trials].sort((a, b) => a.n - b.n).map((t, i) => ({ ...t, n: i + 1 }));
    this.kept = { ...record, trials };
    this.rows = trials.map((t) => ({ ...t }));
    const s = record.search;
    this.trials = s.trials;
    this.epochsPerTrial = s.epochsPerTrial;
    this.tuneBatch = s.tuneBatch;
    this.maxUnits = s.maxUnits;
    this.models = [...s.models];
  }

  override render() {
    const best = this.bestRow();
    return html`
      <section class="panel" aria-labelledby="tuning-heading">
        <h2 id="tuning-heading">3. Tune hyperparameters</h2>
        <p class="muted">Bayesian optimisation (a Gaussian process with expected improvement, after one random trial of each model and at
          least 3 in all) over the model as a choice, each with its own space: the LSTM's units and dense units 32–512 (lower the largest to
          save time), the 2-D CNN's filters 8–64, the 1-D CNN's filters and dense units; for all, dropout 0–0.5 and learning rate
          10⁻², 10⁻³, 10⁻⁴. Each trial stops after ${this.base?.earlyStopping || TRIAL_EARLY_STOPPING} epochs without a lower validation loss and is
          judged by the validation accuracy of its best epoch's weights (what Use best trains again, with the same early stopping) on the
          <span data-testid="tuning-split">${describeSplit(this.splitMode)} split${this.preview ? html` (${this.preview.sizes})` : ''}</span>${this.base?.split === 'segment'
            ? ' (by clip in place of the training form\'s leaky by-segment split)' : ''}; the test split is never looked at.</p>
        ${this.preview?.problem ? html`<p class="error" role="alert">Cannot tune: ${this.preview.problem}.</p>` : ''}
        <div class="row">
          <label>Trials <input type="number" min="1" max="200" .value=${String(this.trials)} ?disabled=${this.running}
            @change=${(e: Event) => (this.trials = Number((e.target as HTMLInputElement).value))} /></label>
          <label>Epochs per trial <input type="number" min="1" max="1000" .value=${String(this.epochsPerTrial)} ?disabled=${this.running}
            @change=${(e: Event) => (this.epochsPerTrial = Number((e.target as HTMLInputElement).value))} /></label>
          <label>Largest units <input type="number" min="32" max="512" step="32" .value=${String(this.maxUnits)} ?disabled=${this.running}
            @change=${(e: Event) => (this.maxUnits = Number((e.target as HTMLInputElement).value))} /></label>
          <fieldset class="models"><legend>Models to try</legend>${ARCHITECTURES.map((m) => html`
            <label class="check"><input type="checkbox" style="width:auto" name="tune-model" value=${m} .checked=${this.models.includes(m)} ?disabled=${this.running}
              @change=${(e: Event) => this.toggleModel(m, (e.target as HTMLInputElement).checked)} /> ${MODEL_NAMES[m]}</label>`)}
          </fieldset>
          <label class="check"><input type="checkbox" style="width:auto" .checked=${this.tuneBatch} ?disabled=${this.running}
            @change=${(e: Event) => (this.tuneBatch = (e.target as HTMLInputElement).checked)} /> Tune batch size too (16–128)</label>
        </div>
        ${this.kept && !this.running ? html`<p data-testid="tuning-kept" role="status">${keptText(this.kept)}</p>` : ''}
        <div class="row">
          <button ?disabled=${!this.features || this.running || !this.valid()} @click=${() => this.tune()}>Tune</button>
          ${this.continuable ? html`<button class="secondary" ?disabled=${this.running || !this.valid()} @click=${() => this.tune(this.kept)}>Continue the last search
            (${this.kept!.search.trials - this.kept!.trials.length} trials left)</button>` : ''}
          <button class="secondary" ?disabled=${!this.running} @click=${this.stop}>Stop tuning</button>
          <button class="secondary" ?disabled=${!best || this.running} @click=${this.useBest}>Use best</button>
        </div>
        ${!this.features ? html`<p class="muted">Choose a dataset first.</p>` : ''}
        ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
        ${this.running && this.plan ? html`<p class="muted" data-testid="tuning-plan">${planText(this.plan)}</p>` : ''}
        ${this.progress || this.activeTrials.size ? html`<p role="status" data-testid="tuning-status">${this.activeTrials.size ? [...this.activeTrials.values()].join(' · ') : this.progress}</p>` : ''}
        ${this.rows.length ? this.renderTable(best) : ''}
        <div data-chart="best-so-far" role="img" aria-label="Best validation accuracy so far, per trial"></div>
      </section>
    `;
  }

  private renderTable(best: TrialRow | undefined) {
    return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Tuning trials"><table data-testid="trials">
      <caption class="visually-hidden">Tuning trials</caption>
      <thead><tr><th scope="col">Trial</th><th scope="col">Model</th><th scope="col" class="num">LSTM units</th><th scope="col" class="num">Filters</th><th scope="col" class="num">Dense units</th>
        <th scope="col" class="num">Dropout</th><th scope="col" class="num">Learning rate</th><th scope="col" class="num">Batch</th>
        <th scope="col" class="num">Validation accuracy (95 % interval)</th><th scope="col" class="num">Best epoch</th><th scope="col" class="num">Time</th></tr></thead>
      <tbody>${this.rows.map((r) => html`<tr class=${r === best ? 'best' : ''} aria-current=${r === best ? 'true' : 'false'}>
        <th scope="row">${r.n}${r === best ? ' (best)' : ''}</th><td>${MODEL_NAMES[r.params.model]}</td>
        <td class="num">${r.params.model === 'lstm' ? r.params.lstmUnits : '—'}</td><td class="num">${r.params.model === 'lstm' ? '—' : r.params.filters}</td>
        <td class="num">${r.params.model === 'cnn' ? '—' : r.params.denseUnits}</td>
        <td class="num">${r.params.dropout}</td><td class="num">${r.params.learningRate}</td><td class="num">${r.params.batchSize}</td>
        <td class="num">${r.valAccuracy !== undefined ? html`${pct(r.valAccuracy)}${r.status === 'stopped' ? html` <span data-testid="trial-stopped">(stopped)</span>` : ''}${r.valInterval
          ? html`<br /><span class="muted">${intervalText(r.valInterval)}, ${r.valClips} clips</span>` : ''}${r.divergedAt ? html`<br /><span class="warning">diverged at epoch ${r.divergedAt}</span>` : ''}` : r.status}</td>
        <td class="num">${r.bestEpoch ?? '—'}</td>
        <td class="num">${r.seconds !== undefined ? `${r.seconds.toFixed(1)} s` : '…'}</td></tr>`)}</tbody>
    </table></div>`;
  }

  private readonly activity = new ActivityFlag('tuning', () => this.stop());

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.activity.set(this.running, `trial ${this.rows.filter((r) => r.status !== 'running').length + 1}/${this.trials}`);
    const before = changed.get('base') as TrainingSettings | undefined;
    if (changed.has('features') || (changed.has('base') && (before?.split !== this.base?.split || before?.seed !== this.base?.seed))) void this.updatePreview();
  }

  private async updatePreview() {
    const f = this.features;
    const mode = this.splitMode;
    const seed = this.base?.seed ?? DEFAULT_SPLIT.seed;
    const preview = f ? await previewSplit(f, { ...DEFAULT_SPLIT, mode, seed }) : undefined;
    if (f === this.features && mode === this.splitMode) this.preview = preview;
  }

  protected override async updated(changed: PropertyValues): Promise<void> {
    if (!changed.has('rows')) return;
    const done = this.rows.filter((r) => r.valAccuracy !== undefined && (r.status === 'done' || r.status === 'stopped'));
    const el = this.renderRoot.querySelector<HTMLElement>('[data-chart="best-so-far"]');
    if (!el || done.length === 0) return;
    let best = 0;
    const values = done.map((r, i) => {
      best = Math.max(best, r.valAccuracy!);
      return { x: i + 1, y: best };
    });
    await charts.scatterplot(el, [{ name: 'best validation accuracy so far', points: values }], { xLabel: 'trial', yLabel: 'accuracy', width: 460, height: 220 });
  }

  private valid(): boolean {
    return Number.isInteger(this.trials) && this.trials >= 1 && Number.isInteger(this.epochsPerTrial) && this.epochsPerTrial >= 1
      && this.maxUnits >= 32 && this.maxUnits <= 512 && this.models.length > 0 && !this.preview?.problem;
  }

  private bestRow(): TrialRow | undefined {
    return bestTrial(this.rows);
  }

  /** Whether the kept search can go on here: it did not end, and the features are the ones it ran on. */
  private get continuable(): boolean {
    const k = this.kept;
    const f = this.features;
    if (!k || !f || k.state === 'finished' || k.trials.length >= k.search.trials) return false;
    const d = k.search.dataset;
    return d.clips === f.clips.length && d.genres === f.genres.length && d.segments === f.clips.reduce((n, c) => n + c.segments.length, 0);
  }

  /** Runs a search, or goes on with the kept one (`resume`): its trials stay, the rest are run. */
  private async tune(resume?: TuningRecord) {
    const features = this.features;
    if (!features) return;
    const base = this.base;
    const seed = resume?.search.seed ?? base?.seed ?? 42;
    const models = resume?.search.models ?? this.models;
    const search: TuningRecord['search'] = resume?.search ?? {
      trials: this.trials, epochsPerTrial: this.epochsPerTrial, tuneBatch: this.tuneBatch, maxUnits: this.maxUnits, models, seed, split: this.splitMode,
      dataset: { clips: features.clips.length, segments: features.clips.reduce((n, c) => n + c.segments.length, 0), genres: features.genres.length },
    };
    const optimizer = new BayesianOptimizer(tuningSpace({ models: search.models, tuneBatchSize: search.tuneBatch, maxUnits: search.maxUnits }), { seed });
    const finished: KeptTrial[] = resume ? [...resume.trials] : [];
    optimizer.restore(finished.map((t) => ({ point: t.point, value: t.status === 'done' ? t.valAccuracy : undefined })));
    const remaining = search.trials - finished.length;
    // The training form's Threads (every core by default) is what tuning may use too.
    const cores = Math.max(1, Math.min(DEFAULT_THREADS, Math.floor(base?.threads ?? DEFAULT_THREADS) || 1));
    const plan = tuningPlan(cores, remaining, featureBytes(features));
    const store = await this.store;
    const keep = (state: TuningRecord['state']) => store.save({ search, trials: finished, state }).catch(() => undefined);
    this.plan = plan;
    this.running = true;
    this.stopRequested = false;
    this.message = '';
    this.progress = '';
    this.kept = undefined;
    this.rows = finished.map((t) => ({ ...t }));
    await keep('running');
    // A trial shows as scored once it is kept, so a reload never loses a trial the page showed.
    let saved = Promise.resolve();
    try {
      await runTuning(optimizer, remaining, plan.lanes, {
        runTrial: (t) => this.runTrial(features, t, seed, base, plan.threadsPerTrial, search),
        onStart: (t) => {
          this.rows = [...this.rows, { n: t.n, params: t.params, point: t.point, status: 'running' }];
          this.setTrialProgress(t.n, `Trial ${t.n} of ${search.trials}: starting.`);
        },
        onFinish: (t, outcome) => {
          this.setTrialProgress(t.n, undefined);
          finished.push({ n: t.n, params: t.params, point: t.point, ...outcome });
          saved = saved.then(() => keep('running')).then(() => {
            this.rows = this.rows.map((r) => (r.n === t.n ? { ...r, ...outcome } : r));
          });
        },
        shouldStop: () => this.stopRequested,
      }, finished.length + 1);
    } finally {
      await saved;
      this.running = false;
      this.activeTrials = new Map();
      const best = this.bestRow();
      this.progress = best ? `Best: trial ${best.n}, validation accuracy ${pct(best.valAccuracy!)}.` : '';
      await keep(this.stopRequested ? 'stopped' : 'finished');
    }
  }

  private setTrialProgress(n: number, text: string | undefined) {
    const next = new Map(this.activeTrials);
    if (text === undefined) next.delete(n);
    else next.set(n, text);
    this.activeTrials = next;
  }

  private runTrial(features: FeatureSet, trial: TrialStart, seed: number, base: TrainingSettings | undefined, threads: number, search: TuningRecord['search']): Promise<TrialOutcome> {
    const { n, params } = trial;
    const data = toTrainingData(features);
    return new Promise((resolve) => {
      const client = new TrainerClient((e: TrainEvent) => {
        if (e.type === 'progress' && e.batch) {
          this.setTrialProgress(n, `Trial ${n} of ${search.trials}: epoch ${e.batch.epoch} of ${search.epochsPerTrial}, batch ${e.batch.batch} of ${e.batch.batches}.`);
        } else if (e.type === 'trial-done') {
          finish({ valAccuracy: e.valAccuracy, valInterval: e.valInterval, valClips: e.valClips, bestEpoch: e.bestEpoch, divergedAt: e.divergedAt, seconds: e.seconds, status: e.stopped ? 'stopped' : 'done' });
        } else if (e.type === 'error') {
          this.message = `Trial ${n} failed: ${e.message}`;
          finish({ status: 'failed' });
        }
      });
      const finish = (outcome: TrialOutcome) => {
        client.dispose();
        this.clients.delete(client);
        resolve(outcome);
      };
      this.clients.add(client);
      client.send({
        type: 'trial',
        data,
        backend: base?.backend ?? 'auto',
        threads,
        options: {
          model: {
            architecture: params.model, filters: params.filters,
            lstmUnits: [params.lstmUnits, params.lstmUnits], denseUnits: params.denseUnits, dropout: params.dropout, learningRate: params.learningRate,
          },
          train: {
            ...trainOf(base ?? DEFAULT_TRAINING_SETTINGS), epochs: search.epochsPerTrial, batchSize: params.batchSize, seed,
            earlyStopping: base?.earlyStopping || TRIAL_EARLY_STOPPING,
          },
          split: { ...DEFAULT_SPLIT, mode: search.split, seed },
          fastLstm: base?.fastLstm ?? true,
        },
      }, [data.x.buffer, data.labels.buffer, data.clipOf.buffer]);
    });
  }

  /** The training form's split; validation on the leaky by-segment split would reward overfitting. */
  private get splitMode(): SplitMode {
    const mode = this.base?.split ?? 'clip';
    return mode === 'segment' ? 'clip' : mode;
  }

  private toggleModel(m: Architecture, on: boolean) {
    const chosen = new Set(this.models);
    if (on) chosen.add(m);
    else chosen.delete(m);
    this.models = ARCHITECTURES.filter((a) => chosen.has(a));
  }

  private stop() {
    this.stopRequested = true;
    for (const client of this.clients) client.send({ type: 'stop' });
  }

  private useBest() {
    const best = this.bestRow();
    if (!best) return;
    this.dispatchEvent(new CustomEvent<TuningParams>('use-best', { detail: best.params, bubbles: true, composed: true }));
  }
}

/** The features' size in bytes, as each trial's copy holds them. */
function featureBytes(f: FeatureSet): number {
  return f.clips.reduce((n, c) => n + c.segments.length, 0) * f.frames * f.coefficients * 4;
}

function keptText(k: TuningRecord): string {
  const when = new Date(k.savedAt).toLocaleString();
  const done = k.trials.filter((t) => t.status === 'done').length;
  const how = k.state === 'running' ? 'was interrupted (the page was reloaded or closed while it ran)' : k.state === 'stopped' ? 'was stopped' : 'finished';
  return `The last tuning search (${when}) ${how}: ${k.trials.length} of its ${k.search.trials} trials ended, ${done} with a score, kept in this browser and listed below.`;
}

function planText(p: TuningPlan): string {
  const threads = `${p.threadsPerTrial} thread${p.threadsPerTrial > 1 ? 's' : ''}`;
  return p.lanes > 1 ? `${p.lanes} trials side by side, ${threads} each.` : `One trial at a time, on ${threads}.`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tuning-panel': TuningPanel;
  }
}
