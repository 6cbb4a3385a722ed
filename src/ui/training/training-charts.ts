import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BatchReport, EpochReport } from '../../model/training/session';
import '../shared/line-chart';
import type { LineSeries } from '../shared/line-chart';

export interface BatchPoint extends BatchReport {
  /** Position in epochs, e.g. 1.5 halfway through epoch 2. */
  x: number;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`);

/**
 * Live loss and accuracy per epoch as lines (training and validation), with the per-batch values
 * as a faint line beneath, and the latest numbers as text for screen readers.
 */
@customElement('training-charts')
export class TrainingCharts extends LitElement {
  @property({ attribute: false }) batches: BatchPoint[] = [];
  @property({ attribute: false }) epochs: EpochReport[] = [];
  /** With early stopping: mark the best epoch (the lowest validation loss), whose weights the run keeps. */
  @property({ type: Boolean }) markBest = false;

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    const last = this.epochs[this.epochs.length - 1];
    const b = this.batches[this.batches.length - 1];
    return html`
      <div class="charts" style="display:flex;flex-wrap:wrap;gap:1rem">
        <figure style="margin:0" data-chart="loss">
          <line-chart label="Loss per epoch: training and validation; the numbers are given below" xLabel="epoch" yLabel="loss" .series=${this.series('loss')}></line-chart>
          <figcaption class="visually-hidden">Loss chart</figcaption>
        </figure>
        <figure style="margin:0" data-chart="accuracy">
          <line-chart label="Accuracy per epoch: training and validation; the numbers are given below" xLabel="epoch" yLabel="accuracy" .series=${this.series('accuracy')}></line-chart>
          <figcaption class="visually-hidden">Accuracy chart</figcaption>
        </figure>
      </div>
      <p data-testid="chart-text" aria-live="polite">
        ${b ? `Latest batch ${b.batch}/${b.batches} of epoch ${b.epoch}: loss ${b.loss.toFixed(4)}, accuracy ${pct(b.accuracy)}. ` : ''}
        ${last ? `Epoch ${last.epoch}/${last.epochs}: loss ${last.loss.toFixed(4)}, accuracy ${pct(last.accuracy)}, validation loss ${last.valLoss?.toFixed(4) ?? '—'}, validation accuracy ${pct(last.valAccuracy)}.` : ''}
        ${this.markBest && last?.bestEpoch ? `Best epoch so far: ${last.bestEpoch} (the lowest validation loss; its weights are kept).` : ''}
      </p>
    `;
  }

  private series(key: 'loss' | 'accuracy'): LineSeries[] {
    const valKey = key === 'loss' ? 'valLoss' : 'valAccuracy';
    return [
      { name: 'train (per batch)', color: '#8796a5', faint: true, points: this.batches.map((p) => ({ x: p.x, y: p[key] })) },
      { name: 'train (per epoch)', color: '#1d3557', points: this.epochs.map((e) => ({ x: e.epoch, y: e[key] })) },
      { name: 'validation', color: '#e07a00', points: this.epochs.filter((e) => e[valKey] !== null && e[valKey] !== undefined).map((e) => ({ x: e.epoch, y: e[valKey] as number })) },
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-charts': TrainingCharts;
  }
}
