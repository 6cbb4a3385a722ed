import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BatchReport, EpochReport } from '../model/session';
import { loadVis } from './vis';

export interface BatchPoint extends BatchReport {
  /** Position in epochs, e.g. 1.5 halfway through epoch 2. */
  x: number;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`);

/**
 * Live loss and accuracy (tfjs-vis), training per batch and per epoch, validation per
 * epoch, with the latest numbers as text for screen readers. Light DOM: vega styles its charts
 * from the document, which a shadow root would hide.
 */
@customElement('training-charts')
export class TrainingCharts extends LitElement {
  @property({ attribute: false }) batches: BatchPoint[] = [];
  @property({ attribute: false }) epochs: EpochReport[] = [];
  private lastDraw = 0;
  private pending: ReturnType<typeof setTimeout> | undefined;

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    const last = this.epochs[this.epochs.length - 1];
    const b = this.batches[this.batches.length - 1];
    return html`
      <div class="charts" style="display:flex;flex-wrap:wrap;gap:1rem">
        <figure style="margin:0">
          <div data-chart="loss" role="img" aria-label="Loss per epoch: training and validation"></div>
          <figcaption class="visually-hidden">Loss chart</figcaption>
        </figure>
        <figure style="margin:0">
          <div data-chart="accuracy" role="img" aria-label="Accuracy per epoch: training and validation"></div>
          <figcaption class="visually-hidden">Accuracy chart</figcaption>
        </figure>
      </div>
      <p data-testid="chart-text" aria-live="polite">
        ${b ? `Latest batch ${b.batch}/${b.batches} of epoch ${b.epoch}: loss ${b.loss.toFixed(4)}, accuracy ${pct(b.accuracy)}. ` : ''}
        ${last ? `Epoch ${last.epoch}/${last.epochs}: loss ${last.loss.toFixed(4)}, accuracy ${pct(last.accuracy)}, validation loss ${last.valLoss?.toFixed(4) ?? '—'}, validation accuracy ${pct(last.valAccuracy)}.` : ''}
      </p>
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('batches') && !changed.has('epochs')) return;
    // Drawing a vega chart costs tens of milliseconds: at most twice a second.
    const wait = Math.max(0, 500 - (performance.now() - this.lastDraw));
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.draw(), wait);
  }

  private async draw(): Promise<void> {
    this.lastDraw = performance.now();
    if (this.batches.length === 0 && this.epochs.length === 0) return;
    const vis = await loadVis();
    const lossEl = this.querySelector<HTMLElement>('[data-chart="loss"]');
    const accEl = this.querySelector<HTMLElement>('[data-chart="accuracy"]');
    if (!lossEl || !accEl) return;
    const series = (key: 'loss' | 'accuracy') => {
      const values = [
        this.batches.map((p) => ({ x: p.x, y: p[key] })),
        this.epochs.map((e) => ({ x: e.epoch, y: e[key] })),
      ];
      const names = ['train (batch)', 'train (epoch)'];
      const val = this.epochs.filter((e) => (key === 'loss' ? e.valLoss : e.valAccuracy) !== null);
      if (val.length) {
        values.push(val.map((e) => ({ x: e.epoch, y: (key === 'loss' ? e.valLoss : e.valAccuracy)! })));
        names.push('validation');
      }
      return { values, series: names };
    };
    // A scatter plot, not tfjs-vis's line chart: the line chart ignores x and needs series of
    // equal length, while batches and epochs are plotted here at their true positions.
    const opts = { xLabel: 'epoch', width: 460, height: 260, zoomToFit: true };
    await vis.render.scatterplot(lossEl, series('loss'), { ...opts, yLabel: 'loss' });
    await vis.render.scatterplot(accEl, series('accuracy'), { ...opts, yLabel: 'accuracy' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-charts': TrainingCharts;
  }
}
