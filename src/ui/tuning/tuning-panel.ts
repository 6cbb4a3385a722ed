import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { FeatureSet } from '../../dataset/feature-set';
import { ARCHITECTURES } from '../../model/architectures/config';
import type { TuningParams } from '../../tuning/search-space';
import { TRIAL_EARLY_STOPPING, type TuningPlan } from '../../tuning/tuning-run';
import { DEFAULT_SPLIT, describeSplit } from '../../model/data/split-options';
import type { TuningRecord } from '../../storage/tuning-store';
import { tuningSplit, type TrialRow, type TuningSearch } from '../../app/tuning-search';
import { MODEL_NAMES, type TrainingSettings } from '../../app/training-settings';
import { previewSplit, type SplitPreview } from '../training/split-preview';
import { tuningContext } from '../shared/app-context';
import { panelStyles } from '../shared/styles';
import { StoreWatch } from '../shared/store-watch';
import { charts } from '../shared/vis';
import { intervalText } from '../../evaluation/describe-metrics';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * Step 3: Bayesian optimisation over the models and their sizes and rates, each trial judged by
 * validation accuracy. Draws the page's tuning search (src/app/tuning-search.ts), which runs the
 * trials side by side and keeps them.
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

  @consume({ context: tuningContext }) @property({ attribute: false }) search!: TuningSearch;
  @property({ attribute: false }) features: FeatureSet | undefined;
  /** Seed, standardisation and backend come from the training form. */
  @property({ attribute: false }) base: TrainingSettings | undefined;
  @state() private preview: SplitPreview | undefined;
  /** The rows the chart was last drawn from. */
  private charted: readonly TrialRow[] | undefined;

  constructor() {
    super();
    new StoreWatch(this, () => this.search);
  }

  override render() {
    const t = this.search;
    const best = t.best;
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
          <label>Trials <input type="number" min="1" max="200" .value=${String(t.form.trials)} ?disabled=${t.running}
            @change=${(e: Event) => t.setForm({ trials: Number((e.target as HTMLInputElement).value) })} /></label>
          <label>Epochs per trial <input type="number" min="1" max="1000" .value=${String(t.form.epochsPerTrial)} ?disabled=${t.running}
            @change=${(e: Event) => t.setForm({ epochsPerTrial: Number((e.target as HTMLInputElement).value) })} /></label>
          <label>Largest units <input type="number" min="32" max="512" step="32" .value=${String(t.form.maxUnits)} ?disabled=${t.running}
            @change=${(e: Event) => t.setForm({ maxUnits: Number((e.target as HTMLInputElement).value) })} /></label>
          <fieldset class="models"><legend>Models to try</legend>${ARCHITECTURES.map((m) => html`
            <label class="check"><input type="checkbox" style="width:auto" name="tune-model" value=${m}
              .checked=${t.form.models.includes(m)} ?disabled=${t.running}
              @change=${(e: Event) => t.toggleModel(m, (e.target as HTMLInputElement).checked)} /> ${MODEL_NAMES[m]}</label>`)}
          </fieldset>
          <label class="check"><input type="checkbox" style="width:auto" .checked=${t.form.tuneBatch} ?disabled=${t.running}
            @change=${(e: Event) => t.setForm({ tuneBatch: (e.target as HTMLInputElement).checked })} /> Tune batch size too (16–128)</label>
        </div>
        ${t.kept && !t.running ? html`<p data-testid="tuning-kept" role="status">${keptText(t.kept)}</p>` : ''}
        <div class="row">
          <button ?disabled=${!this.features || t.running || !this.valid} @click=${() => this.tune()}>Tune</button>
          ${t.continuable(this.features) ? html`<button class="secondary" ?disabled=${t.running || !this.valid} @click=${() => this.tune(t.kept)}>Continue the last search
            (${t.kept!.search.trials - t.kept!.trials.length} trials left)</button>` : ''}
          <button class="secondary" ?disabled=${!t.running} @click=${() => t.stop()}>Stop tuning</button>
          <button class="secondary" ?disabled=${!best || t.running} @click=${this.useBest}>Use best</button>
        </div>
        ${!this.features ? html`<p class="muted">Choose a dataset first.</p>` : ''}
        ${t.message ? html`<p class="error" role="alert">${t.message}</p>` : ''}
        ${t.running && t.plan ? html`<p class="muted" data-testid="tuning-plan">${planText(t.plan)}</p>` : ''}
        ${t.progress || t.activeTrials.size ? html`<p role="status" data-testid="tuning-status">${t.activeTrials.size ? [...t.activeTrials.values()].join(' · ') : t.progress}</p>` : ''}
        ${t.rows.length ? this.renderTable(best) : ''}
        <div data-chart="best-so-far" role="img" aria-label="Best validation accuracy so far, per trial"></div>
      </section>
    `;
  }

  private renderTable(best: TrialRow | undefined) {
    const t = this.search;
    return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Tuning trials"><table data-testid="trials">
      <caption class="visually-hidden">Tuning trials</caption>
      <thead><tr><th scope="col">Trial</th><th scope="col">Model</th><th scope="col" class="num">LSTM units</th><th scope="col" class="num">Filters</th><th scope="col" class="num">Dense units</th>
        <th scope="col" class="num">Dropout</th><th scope="col" class="num">Learning rate</th><th scope="col" class="num">Batch</th>
        <th scope="col" class="num">Validation accuracy (95 % interval)</th><th scope="col" class="num">Best epoch</th><th scope="col" class="num">Time</th></tr></thead>
      <tbody>${t.rows.map((r) => html`<tr class=${r === best ? 'best' : ''} aria-current=${r === best ? 'true' : 'false'}>
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

  protected override willUpdate(changed: PropertyValues<this>): void {
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

  protected override async updated(): Promise<void> {
    const rows = this.search.rows;
    if (rows === this.charted) return;
    this.charted = rows;
    const done = rows.filter((r) => r.valAccuracy !== undefined && (r.status === 'done' || r.status === 'stopped'));
    const el = this.renderRoot.querySelector<HTMLElement>('[data-chart="best-so-far"]');
    if (!el || done.length === 0) return;
    let best = 0;
    const values = done.map((r, i) => {
      best = Math.max(best, r.valAccuracy!);
      return { x: i + 1, y: best };
    });
    await charts.scatterplot(el, [{ name: 'best validation accuracy so far', points: values }], {
      xLabel: 'trial',
      yLabel: 'accuracy',
      width: 460,
      height: 220,
    });
  }

  private get valid(): boolean {
    return this.search.valid && !this.preview?.problem;
  }

  private tune(resume?: TuningRecord) {
    if (this.features) void this.search.tune(this.features, this.base, resume);
  }

  /** The training form's split; validation on the leaky by-segment split would reward overfitting. */
  private get splitMode() {
    return tuningSplit(this.base);
  }

  private useBest() {
    const best = this.search.best;
    if (!best) return;
    this.dispatchEvent(new CustomEvent<TuningParams>('use-best', { detail: best.params, bubbles: true, composed: true }));
  }
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
