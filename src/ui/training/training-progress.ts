import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { RunView } from './run-view';
import './training-charts';
import type { TrainingRun } from '../../app/training-run';

/** The run's progress: where it is, how fast it goes, the live curves and the model's layers. */
@customElement('training-progress')
export class TrainingProgress extends RunView {
  override render() {
    const run = this.run;
    if (!run) return html``;
    return html`${this.status(run)}
      <training-charts .batches=${run.batches} .epochs=${run.epochs} ?markBest=${run.earlyStopping > 0}></training-charts>
      ${run.summaryRows.length ? this.summary(run) : ''}`;
  }

  private status(run: TrainingRun) {
    const b = run.batches[run.batches.length - 1];
    const e = run.epochs[run.epochs.length - 1];
    if (!b && !e) return '';
    return html`<p class="status" data-testid="train-status">
      ${run.running ? `Training: epoch ${b?.epoch ?? 1} of ${run.epochsPlanned}, batch ${b?.batch ?? 0} of ${b?.batches ?? '…'}. ` : ''}
      ${e ? `Last epoch took ${e.seconds.toFixed(1)} s, ${e.samplesPerSecond.toFixed(1)} samples/s, ` : ''}
      ${run.threads > 1 ? `${run.threads} threads sharing each batch.` : 'one thread.'}${run.engine ? ` Engine: ${run.engine}.` : ''}</p>`;
  }

  private summary(run: TrainingRun) {
    return html`<details><summary>Model summary (${run.params.toLocaleString('en')} parameters)</summary>
      <table data-testid="model-summary"><thead><tr><th scope="col">Layer</th><th scope="col">Type</th><th scope="col">Output shape</th><th scope="col" class="num">Parameters</th></tr></thead>
      <tbody>${run.summaryRows.map((r) => html`<tr><td>${r.name}</td><td>${r.type}</td><td>${r.outputShape}</td><td class="num">${r.params.toLocaleString('en')}</td></tr>`)}</tbody></table></details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-progress': TrainingProgress;
  }
}
