import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { FeatureSet } from '../dataset/feature-set';
import './dataset-panel';
import type { TuningParams } from '../model/search-space';
import './classify-panel';
import './training-panel';
import type { TrainedModel } from './training-panel';
import './tuning-panel';
import './update-banner';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from './training-form';

/** The page: a header saying what the lab is, then one panel per step. */
@customElement('gtzan-lab')
export class LabApp extends LitElement {
  /** The features every later step works on; set by the dataset panel. */
  @state() features: FeatureSet | undefined;
  /** The training form's settings: tuning reads them and "Use best" writes them. */
  @state() training: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
  @state() model: TrainedModel | undefined;

  static override styles = css`
    :host { display: block; max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
    header h1 { margin: 0 0 0.25rem; font-size: 1.8rem; }
    header p { margin: 0.25rem 0; color: #3d4752; max-width: 70ch; line-height: 1.45; }
  `;

  private useBest(e: CustomEvent<TuningParams>) {
    const p = e.detail;
    this.training = { ...this.training, lstmUnits: p.lstmUnits, denseUnits: p.denseUnits, dropout: p.dropout, learningRate: p.learningRate, batchSize: p.batchSize };
    this.renderRoot.querySelector('training-panel')?.scrollIntoView({ behavior: 'smooth' });
  }

  override render() {
    return html`
      <header>
        <update-banner></update-banner>
        <h1>GTZAN Lab</h1>
        <p>
          Train a music genre classifier in your browser. Drop the GTZAN dataset folder, watch every clip turn
          into MFCC features, train an LSTM and see how well it tells the genres apart.
        </p>
        <p>Everything runs on this page: your audio never leaves your machine.</p>
      </header>
      <main>
        <dataset-panel @features-changed=${(e: CustomEvent<{ features?: FeatureSet }>) => (this.features = e.detail.features)}></dataset-panel>
        <training-panel .features=${this.features} .settings=${this.training}
          @settings-changed=${(e: CustomEvent<TrainingSettings>) => (this.training = e.detail)}
          @model-changed=${(e: CustomEvent<{ model?: TrainedModel }>) => (this.model = e.detail.model)}></training-panel>
        <tuning-panel .features=${this.features} .base=${this.training} @use-best=${this.useBest}></tuning-panel>
        <classify-panel .trained=${this.model}></classify-panel>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gtzan-lab': LabApp;
  }
}
