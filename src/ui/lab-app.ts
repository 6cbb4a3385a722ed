import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { FeatureSet } from '../dataset/feature-set';
import './dataset-panel';
import './training-panel';

/** The page: a header saying what the lab is, then one panel per step. */
@customElement('gtzan-lab')
export class LabApp extends LitElement {
  /** The features every later step works on; set by the dataset panel. */
  @state() features: FeatureSet | undefined;

  static override styles = css`
    :host { display: block; max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
    header h1 { margin: 0 0 0.25rem; font-size: 1.8rem; }
    header p { margin: 0.25rem 0; color: #3d4752; max-width: 70ch; line-height: 1.45; }
  `;

  override render() {
    return html`
      <header>
        <h1>GTZAN Lab</h1>
        <p>
          Train a music genre classifier in your browser. Drop the GTZAN dataset folder, watch every clip turn
          into MFCC features, train an LSTM and see how well it tells the genres apart.
        </p>
        <p>Everything runs on this page: your audio never leaves your machine.</p>
      </header>
      <main>
        <dataset-panel @features-changed=${(e: CustomEvent<{ features?: FeatureSet }>) => (this.features = e.detail.features)}></dataset-panel>
        <training-panel .features=${this.features}></training-panel>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gtzan-lab': LabApp;
  }
}
