import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { MODELS_KEPT, type RunRecord } from '../../storage/run-store';
import type { RunList } from '../../app/run-list';
import { runListContext } from '../shared/app-context';
import { StoreWatch } from '../shared/store-watch';
import '../shared/line-chart';
import { SERIES_COLORS } from '../shared/colors';
import type { LineSeries } from '../shared/line-chart';
import { downloadModel } from '../shared/download';
import { panelStyles } from '../shared/styles';
import { intervalText } from '../../evaluation/describe-metrics';
import { intervalOfRun, rankRuns, sortByAccuracy, type RunRank } from './run-ranks';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)} %`);

/**
 * Every training run, kept in this browser: a table (sortable by test accuracy, the split in
 * each row), renaming, deleting, loading a run's settings into the form, and for the latest runs
 * whose model is kept, downloading it or classifying with it. Two or more chosen runs are
 * overlaid: validation accuracy and loss per epoch. The table is the text alternative.
 */
@customElement('runs-panel')
export class RunsPanel extends LitElement {
  static override styles = [panelStyles, css`
    .charts { display: flex; flex-wrap: wrap; gap: 1rem; }
    table { width: 100%; }
    /* A name wraps in its box rather than being cut. */
    td textarea { font: inherit; width: 100%; min-width: 7rem; box-sizing: border-box; resize: vertical; field-sizing: content; overflow-wrap: anywhere; }
    td.small { font-size: 0.85rem; }
    /* One compact menu per row: the actions stay one click away without widening the table. */
    details.menu { position: relative; }
    details.menu summary {
      white-space: nowrap; cursor: pointer; padding: 0.3rem 0.6rem; border: 1px solid #1d3557;
      border-radius: 6px; color: #1d3557; list-style: none;
    }
    details.menu summary::-webkit-details-marker { display: none; }
    details.menu summary:focus-visible { outline: 3px solid #e07a00; outline-offset: 2px; }
    details.menu .items { position: absolute; right: 0; z-index: 5; display: flex; flex-direction: column; gap: 0.3rem; background: #fff;
      border: 1px solid #d5dbe1; border-radius: 6px; padding: 0.4rem; box-shadow: 0 4px 12px rgb(0 0 0 / 0.12); white-space: nowrap; }
  `];

  /** The runs kept in this browser, from the page. */
  @consume({ context: runListContext }) @property({ attribute: false }) list!: RunList;
  @state() private chosen = new Set<string>();
  @state() private byAccuracy = false;

  constructor() {
    super();
    new StoreWatch(this, () => this.list);
  }

  private get runs(): RunRecord[] {
    return this.list.runs;
  }

  private get message(): string {
    return this.list.message;
  }

  override render() {
    const rows = this.byAccuracy ? sortByAccuracy(this.runs) : this.runs;
    const kept = this.runs.reduce((n, r) => n + r.modelBytes, 0);
    const chosen = this.runs.filter((r) => this.chosen.has(r.id));
    const ranks = rankRuns(this.runs);
    return html`<section class="panel" aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      ${this.runs.length === 0 ? html`<p class="muted">Every training run is kept here, with its settings, split, curves and test accuracy.</p>` : html`
        <p class="muted">The models of the latest ${MODELS_KEPT} runs are kept (${kept >= 2 ** 20 ? `${(kept / 2 ** 20).toFixed(1)} MB` : `${Math.ceil(kept / 1024)} kB`} in this browser); older runs keep their numbers.
          Choose two or more to compare their curves. A run is ranked only among the runs on the same split of the same dataset (runs on
          different splits or datasets are not comparable at all), counting those whose 95 % intervals lie wholly above its own:
          runs with the same rank are not told apart by their test clips. Balanced: the mean of each genre's clip accuracy.</p>
        <table data-testid="runs">
          <caption class="visually-hidden">Training runs</caption>
          <thead><tr><th scope="col">Compare</th><th scope="col">Name</th><th scope="col">Split</th>
            <th scope="col" class="num"><button class="secondary" aria-pressed=${this.byAccuracy}
              @click=${() => (this.byAccuracy = !this.byAccuracy)}>Test accuracy (clip, 95 % interval; balanced)</button></th>
            <th scope="col" class="num">Rank on its split</th>
            <th scope="col">Run</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>${rows.map((r) => html`<tr data-run=${r.id}>
            <td><input type="checkbox" aria-label="Compare ${r.name}" .checked=${this.chosen.has(r.id)}
              @change=${(e: Event) => this.choose(r.id, (e.target as HTMLInputElement).checked)} /></td>
            <td><textarea rows="2" aria-label="Name of run ${r.name}" .value=${r.name}
              @change=${(e: Event) => this.rename(r, (e.target as HTMLTextAreaElement).value)}
              @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') { e.preventDefault(); (e.target as HTMLTextAreaElement).blur(); } }}></textarea></td>
            <td>${r.split.sizes}</td>
            <td class="num">${pct(r.metrics?.testClipAccuracy)}${intervalOfRun(r) ? html`<br /><span class="muted">${intervalText(intervalOfRun(r)!)}</span>` : ''}${r.status !== 'finished' ? html` <span class="muted">(${r.status})</span>` : ''}
              ${r.metrics?.testBalancedClipAccuracy !== undefined ? html`<br /><span data-testid="run-balanced">balanced ${pct(r.metrics.testBalancedClipAccuracy)}</span>${r.metrics.testBalancedClipInterval
                ? html`<br /><span class="muted">${intervalText({ low: r.metrics.testBalancedClipInterval[0], high: r.metrics.testBalancedClipInterval[1] })}</span>` : ''}` : ''}</td>
            <td class="num" data-testid="run-rank">${this.rankText(ranks.get(r.id))}</td>
            <td class="small">${r.epochs.length} epochs, ${r.seconds.toFixed(0)} s on ${r.backend}<br />${r.dataset.name} (${r.dataset.clips} clips)<br />
              <span class="muted">${new Date(r.savedAt).toLocaleString()}</span>
              ${r.rerunOf ? html`<br /><span class=${r.rerunOf.matched ? '' : 'warning'} data-testid="run-rerun">Re-run of “${r.rerunOf.name}”: ${r.rerunOf.why}</span>` : ''}</td>
            <td><details class="menu"><summary aria-label="Actions for ${r.name}">Actions</summary><div class="items">
              <button class="secondary" @click=${() => this.act(() => this.emit('load-run-settings', r.settings))}>Load settings</button>
              ${r.identity ? html`<button class="secondary" @click=${() => this.act(() => this.emit('rerun', { run: r }))}>Re-run and compare</button>` : ''}
              ${r.modelBytes ? html`<button class="secondary" @click=${() => this.act(() => this.useModel(r, 'download'))}>Download</button>
                <button class="secondary" @click=${() => this.act(() => this.useModel(r, 'classify'))}>Classify with it</button>` : ''}
              <button class="secondary" @click=${() => this.act(() => this.deleteRun(r))}>Delete</button>
            </div></details></td></tr>`)}</tbody>
        </table>`}
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
      ${chosen.length >= 2 ? html`<div class="charts" data-testid="run-comparison">
        <line-chart label="Validation accuracy per epoch of the chosen runs; the table gives each run's numbers" xLabel="epoch" yLabel="validation accuracy"
          .series=${this.overlay(chosen, 'valAccuracy')}></line-chart>
        <line-chart label="Validation loss per epoch of the chosen runs; the table gives each run's numbers" xLabel="epoch" yLabel="validation loss"
          .series=${this.overlay(chosen, 'valLoss')}></line-chart>
      </div>` : ''}
    </section>`;
  }

  /** "1 of 3" among the runs on its split, or "only run" on a split of its own. */
  private rankText(rank: RunRank | undefined) {
    if (!rank?.rank) return '—';
    return rank.among > 1 ? `${rank.rank} of ${rank.among}` : html`<span class="muted">only run on its split</span>`;
  }

  private overlay(runs: RunRecord[], key: 'valAccuracy' | 'valLoss'): LineSeries[] {
    return runs.map((r, i) => ({
      name: r.name,
      color: SERIES_COLORS[i % SERIES_COLORS.length],
      points: r.epochs.filter((e) => e[key] !== null && e[key] !== undefined).map((e) => ({ x: e.epoch, y: e[key] as number })),
    }));
  }

  /** Runs a row's action and closes its menu. */
  private act(action: () => unknown) {
    this.renderRoot.querySelectorAll<HTMLDetailsElement>('details.menu[open]').forEach((d) => { d.open = false; });
    void action();
  }

  private choose(id: string, on: boolean) {
    const next = new Set(this.chosen);
    if (on) next.add(id);
    else next.delete(id);
    this.chosen = next;
  }

  private async rename(r: RunRecord, name: string) {
    await this.list.rename(r, name);
  }

  private async deleteRun(r: RunRecord) {
    this.choose(r.id, false);
    await this.list.delete(r);
  }

  private async useModel(r: RunRecord, use: 'download' | 'classify') {
    const m = await this.list.model(r);
    if (!m) return;
    if (use === 'download') {
      await downloadModel(m);
    } else {
      this.emit('use-run-model', { model: { files: m.files, metadata: m.metadata, evaluation: m.evaluation }, source: `the model of run “${r.name}”` });
    }
  }

  private emit(type: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'runs-panel': RunsPanel;
  }
}
