import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import './evaluation-view';
import { RunView } from './run-view';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** The model's test accuracy on held-out data, which split it is, and the views of its errors. */
@customElement('training-evaluation')
export class TrainingEvaluation extends RunView {
  override render() {
    const m = this.run?.model;
    if (!m) return html``;
    const metrics = m.metadata.metrics;
    const leaky = m.metadata.split.mode === 'segment';
    return html`
      <h3>Evaluation on held-out data</h3>
      ${metrics ? html`<p class="big" role="status" data-testid="test-accuracy">
          Test accuracy: ${pct(metrics.testSegmentAccuracy)} per segment, ${pct(metrics.testClipAccuracy)} per clip
          (${m.metadata.split.sizes ?? `split ${metrics.split}`}; ${m.metadata.split.testSegments} test segments from ${m.metadata.split.testClips} clips).</p>
        ${leaky ? html`<p class="warning">This split is leaky: segments of one clip are in both training and test data, so these numbers are
          optimistic. Choose "By clip" for an honest figure.</p>` : ''}`
        : html`<p class="warning" role="status">This model has no test accuracy: it was not evaluated on held-out data
          (a checkpoint taken during training, or a dataset too small to hold any clips out).</p>`}
      <evaluation-view .evaluation=${m.evaluation} .genres=${m.metadata.genres}></evaluation-view>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-evaluation': TrainingEvaluation;
  }
}
