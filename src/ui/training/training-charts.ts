import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BatchReport, EpochReport } from '../../model/training/session';
import { visor } from '../shared/vis';
import { epochCurves } from './curve-grid';
import './epoch-chart';

export interface BatchPoint extends BatchReport {
  /** Position in epochs, e.g. 1.5 halfway through epoch 2. */
  x: number;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`);


/**
 * Live loss and accuracy with epochs on x: training and validation per epoch over a pale
 * per-batch line, the kept epoch marked when early stopping keeps it, the latest numbers as text
 * for screen readers, and tfjs-vis's visor on request.
 */
@customElement('training-charts')
export class TrainingCharts extends LitElement {
  @property({ attribute: false }) batches: BatchPoint[] = [];
  @property({ attribute: false }) epochs: EpochReport[] = [];
  /** With early stopping: mark the best epoch (the lowest validation loss), whose weights the run keeps. */
  @property({ type: Boolean }) markBest = false;
  @state() private visor = false;

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    const last = this.epochs[this.epochs.length - 1];
    const b = this.batches[this.batches.length - 1];
    const visorName = (what: string) => (this.visor ? what : '');
    // Once per render each: a render comes with every batch report, over every batch so far.
    const loss = epochCurves(this.batches, this.epochs, 'loss', this.markBest);
    const accuracy = epochCurves(this.batches, this.epochs, 'accuracy', this.markBest);
    return html`
      <div class="charts" style="display:flex;flex-wrap:wrap;gap:1rem">
        <figure style="margin:0" data-chart="loss">
          <epoch-chart label="Loss per epoch: training and validation; the numbers are given below" yLabel="loss"
            visorName=${visorName('Loss')} .curves=${loss}></epoch-chart>
          <figcaption class="visually-hidden">Loss chart</figcaption>
        </figure>
        <figure style="margin:0" data-chart="accuracy">
          <epoch-chart label="Accuracy per epoch: training and validation; the numbers are given below" yLabel="accuracy"
            visorName=${visorName('Accuracy')} .curves=${accuracy}></epoch-chart>
          <figcaption class="visually-hidden">Accuracy chart</figcaption>
        </figure>
      </div>
      <label class="muted"><input type="checkbox" data-testid="visor-toggle" .checked=${this.visor} @change=${this.toggleVisor} />
        Also show the curves in tfjs-vis's visor (the slide-out panel of the TensorFlow.js tutorials; <kbd>~</kbd> hides and shows it)</label>
      <p data-testid="chart-text" aria-live="polite">
        ${b ? `Latest batch ${b.batch}/${b.batches} of epoch ${b.epoch}: loss ${b.loss.toFixed(4)}, accuracy ${pct(b.accuracy)}. ` : ''}
        ${last ? `Epoch ${last.epoch}/${last.epochs}: loss ${last.loss.toFixed(4)}, accuracy ${pct(last.accuracy)}, validation loss ${last.valLoss?.toFixed(4) ?? '—'}, validation accuracy ${pct(last.valAccuracy)}.` : ''}
        ${this.markBest && last?.bestEpoch ? `Best epoch so far: ${last.bestEpoch} (the lowest validation loss; its weights are kept).` : ''}
      </p>
    `;
  }

  private async toggleVisor(e: Event) {
    this.visor = (e.target as HTMLInputElement).checked;
    const panel = await visor();
    if (this.visor) panel.open();
    else panel.close();
    await this.updateComplete;
    this.querySelectorAll('epoch-chart').forEach((c) => { c.redraw(); });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-charts': TrainingCharts;
  }
}
