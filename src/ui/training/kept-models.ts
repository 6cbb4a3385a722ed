import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { RunView } from './run-view';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** Offers back what this browser kept: the last trained model, and an interrupted run's checkpoint. */
@customElement('kept-models')
export class KeptModels extends RunView {
  override render() {
    const run = this.run;
    if (!run || run.running || run.model) return html``;
    const { saved, checkpoint } = run;
    return html`
      ${saved ? html`<p class="row">A trained model is kept in this browser (${new Date(saved.savedAt).toLocaleString()},
        ${saved.metadata.genres.length} genres${saved.metadata.metrics ? `, test accuracy ${pct(saved.metadata.metrics.testSegmentAccuracy)} per segment, split ${saved.metadata.metrics.split}` : ''}).
        <button class="secondary" @click=${() => run.restore(saved)}>Restore model</button></p>` : ''}
      ${checkpoint ? html`<p class="row warning">A training run was interrupted; the model after epoch ${checkpoint.epoch} of ${checkpoint.epochs} is kept.
        <button class="secondary" @click=${() => run.restore(checkpoint)}>Restore checkpoint</button></p>` : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kept-models': KeptModels;
  }
}
