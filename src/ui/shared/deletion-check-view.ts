import { LitElement, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FeatureSet } from '../../dataset/feature-set';
import type { ModelFiles } from '../../saving/artifacts';
import type { ModelMetadata } from '../../saving/metadata';
import { describeSplit } from '../../model/data/split-options';
import { CHECK_FRACTION, DeletionCheckRun, verdict } from '../../app/deletion-check-run';
import { askExplainer } from './explainer-client';
import { StoreWatch } from './store-watch';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * The deletion check in the page: does occluding the regions the explanation marks cost the
 * model more accuracy on its test split than occluding as many random regions? A button, the
 * worker's progress, and the three accuracies with what they were measured on.
 */
@customElement('deletion-check-view')
export class DeletionCheckView extends LitElement {
  @property({ attribute: false }) model: { files: ModelFiles; metadata: ModelMetadata } | undefined;
  @property({ attribute: false }) features: FeatureSet | undefined;
  private readonly check = new DeletionCheckRun(askExplainer);

  constructor() {
    super();
    new StoreWatch(this, () => this.check);
  }

  protected override createRenderRoot() {
    return this;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another model: the last result was about the one before.
    if (changed.has('model') && changed.get('model') !== undefined) {
      this.check.clear();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.check.cancel();
  }

  override render() {
    const m = this.model;
    if (!m?.metadata.split.testClipNames.length) return html``;
    const c = this.check;
    const r = c.result;
    return html`
      <section aria-labelledby="deletion-check-heading">
        <h4 id="deletion-check-heading">Does the explanation point at what the model uses?</h4>
        <p class="muted">The deletion check explains each test segment (occlusion, for the genre the model predicts), then removes the
          ${Math.round(100 * CHECK_FRACTION)} % of its regions the explanation marks, and as many random regions, and measures the accuracy each time.
          If the marked regions matter, removing them costs more. It runs in the explain worker and takes a while on a large test split.</p>
        ${c.busy ? html`<button class="secondary" @click=${() => c.cancel()}>Cancel the deletion check</button>
            <progress data-testid="deletion-check-progress" aria-label="Deletion check"
              max=${c.progress?.total ?? 1} value=${c.progress?.done ?? 0}></progress>`
          : html`<button class="secondary" ?disabled=${!this.features} title=${this.features ? '' : 'Load the dataset the model was trained on first'}
              @click=${() => void c.start(m, this.features!)}>Run the deletion check</button>`}
        ${c.message ? html`<p class="warning" role="status" data-testid="deletion-check-message">${c.message}</p>` : ''}
        ${r ? html`<table data-testid="deletion-check" data-accuracy=${r.accuracy} data-explained=${r.explainedRemoved} data-random=${r.randomRemoved}
            data-segments=${r.segments} data-clips=${r.clips}>
          <caption>Test split (${describeSplit(m.metadata.split.mode)}): ${r.clips} clip${r.clips === 1 ? '' : 's'}, ${r.segments} segment${r.segments === 1 ? '' : 's'};
            ${r.patchesRemoved} of ${r.patchesPerSegment} regions removed from each (${c.seconds.toFixed(0)} s)</caption>
          <thead><tr><th scope="col">Segments</th><th scope="col" class="num">Accuracy</th></tr></thead>
          <tbody>
            <tr><th scope="row">as they are</th><td class="num">${pct(r.accuracy)}</td></tr>
            <tr><th scope="row">the regions the explanation marks removed</th><td class="num">${pct(r.explainedRemoved)}</td></tr>
            <tr><th scope="row">as many random regions removed</th><td class="num">${pct(r.randomRemoved)}</td></tr>
          </tbody>
        </table>
        <p data-testid="deletion-check-verdict">${verdict(r.accuracy, r.explainedRemoved, r.randomRemoved)}</p>` : ''}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'deletion-check-view': DeletionCheckView;
  }
}
