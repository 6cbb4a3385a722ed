import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FeatureSet } from '../../dataset/feature-set';
import '../shared/deletion-check-view';
import './evaluation-view';
import { RunView } from './run-view';
import { describeTestAccuracy } from '../../evaluation/describe-metrics';
import type { Divergence } from '../../model/optimizers/epoch-policy';


/** The model's test accuracy on held-out data, which split it is, and the views of its errors. */
@customElement('training-evaluation')
export class TrainingEvaluation extends RunView {
  /** The dataset loaded now: the deletion check reads the model's test clips from it. */
  @property({ attribute: false }) features: FeatureSet | undefined;

  override render() {
    const m = this.run?.model;
    if (!m) return html``;
    const metrics = m.metadata.metrics;
    const leaky = m.metadata.split.mode === 'segment';
    return html`
      <h3>Evaluation on held-out data</h3>
      ${metrics ? html`<p class="big" role="status" data-testid="test-accuracy">
          Test accuracy: ${describeTestAccuracy(metrics, m.metadata.split.testClips)}
          (${m.metadata.split.sizes ?? `split ${metrics.split}`}; ${m.metadata.split.testSegments} test segments).</p>
        ${m.metadata.training.bestEpoch ? html`<p data-testid="best-epoch">The weights of epoch ${m.metadata.training.bestEpoch} of
          ${m.metadata.training.epochsCompleted} (${this.keptWhy(m.metadata.training.earlyStopping)}).</p>` : ''}
        ${m.metadata.split.warnings?.length ? html`<ul class="warning" data-testid="result-warnings" aria-label="What makes these numbers weak">
          ${m.metadata.split.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
        ${leaky ? html`<p class="warning">This split is leaky: segments of one clip are in both training and test data, so these numbers are
          optimistic. Choose "By clip" for an honest figure.</p>` : ''}`
        : html`<p class="warning" role="status">This model has no test accuracy: it was not evaluated on held-out data
          (a checkpoint taken during training, or a dataset too small to hold any clips out).</p>`}
      <evaluation-view .evaluation=${m.evaluation} .genres=${m.metadata.genres}></evaluation-view>
      ${metrics ? html`<deletion-check-view .model=${m} .features=${this.features}></deletion-check-view>` : ''}
    `;
  }

  private keptWhy(earlyStopping: number | undefined): string {
    const run = this.run;
    return keptWhyText(run?.model && run.diverged ? run.diverged : undefined, earlyStopping);
  }
}

/** Why the model holds an earlier epoch's weights: early stopping's best epoch, or the last sound one before the run diverged. */
function keptWhyText(diverged: Divergence | undefined, earlyStopping: number | undefined): string {
  if (diverged) return `${diverged.kept === 'last finite epoch' ? 'the last epoch with finite numbers' : 'the lowest validation loss'}; the run diverged at epoch ${diverged.epoch}`;
  return `the lowest validation loss; early stopping after ${earlyStopping} epochs without a lower one`;
}

declare global {
  interface HTMLElementTagNameMap {
    'training-evaluation': TrainingEvaluation;
  }
}
