import { html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FeatureSet } from '../../dataset/feature-set';
import type { ModelConfig } from '../../model/architectures/config';
import { RunView } from './run-view';
import { TrainerClient } from '../shared/trainer-client';
import { DEFAULT_TRAINING_SETTINGS, MODEL_NAMES, modelOf, type TrainingSettings } from '../../app/training-settings';

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** What changes the time a batch takes. */
const sizeChanged = (a: TrainingSettings, b: TrainingSettings): boolean =>
  a.model !== b.model || a.filters !== b.filters || a.lstmUnits !== b.lstmUnits || a.denseUnits !== b.denseUnits || a.batchSize !== b.batchSize
  || a.backend !== b.backend || a.fastLstm !== b.fastLstm || a.threads !== b.threads;

/**
 * Before training: times a few batches of the model the form describes in a worker on this
 * machine, on the threads training will use, and says what an epoch and the whole run will take.
 * Hidden while a run goes.
 */
@customElement('training-estimate')
export class TrainingEstimate extends RunView {
  @property({ attribute: false }) features: FeatureSet | undefined;
  @property({ attribute: false }) settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
  /** Segments the chosen split trains on: batches per epoch follow from them. */
  @property({ type: Number }) trainingSegments = 0;
  /** Set while the form's settings cannot train (the panel says why): nothing to measure. */
  @property({ type: Boolean }) blocked = false;
  @state() private estimate: { msPerBatch: number; backend: string; threads: number } | 'measuring' | undefined;
  private estimator: TrainerClient | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancel();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.run?.running) {
      if (this.estimate || this.estimator) this.cancel();
      return;
    }
    const before = changed.get('settings');
    if (changed.has('features') || changed.has('blocked') || (before && sizeChanged(before, this.settings))) this.schedule();
  }

  override render() {
    const e = this.estimate;
    if (!e || this.run?.running) return html``;
    if (e === 'measuring') return html`<p class="muted" role="status">Measuring training speed on this machine…</p>`;
    const s = this.settings;
    const batches = Math.ceil(this.trainingSegments / s.batchSize);
    const epoch = (e.msPerBatch / 1000) * batches;
    return html`<p data-testid="estimate" role="status">Expected: ${(e.msPerBatch / 1000).toFixed(2)} s per batch of ${s.batchSize} on
      ${e.backend}${s.model !== 'lstm' ? ` for the ${MODEL_NAMES[s.model]}` : s.fastLstm && (e.backend === 'wasm' || e.backend === 'cpu') ? ' with the fast LSTM' : ' with tf.layers.lstm'}, measured on
      ${e.threads} thread${e.threads > 1 ? 's' : ''} → about <strong>${duration(epoch)} per epoch</strong> (${batches} batches), ${duration(epoch * s.epochs)} for
      ${s.epochs} epochs.</p>`;
  }

  private cancel() {
    clearTimeout(this.timer);
    this.estimator?.dispose();
    this.estimator = undefined;
    this.estimate = undefined;
  }

  private schedule() {
    this.cancel();
    if (!this.features || this.blocked) return;
    this.timer = setTimeout(() => this.measure(), 400);
  }

  private get config(): ModelConfig | undefined {
    const f = this.features;
    if (!f) return undefined;
    const s = this.settings;
    return { frames: f.frames, coefficients: f.coefficients, classes: f.genres.length, ...modelOf(s) };
  }

  private measure() {
    const config = this.config;
    if (!config || this.run?.running) return;
    this.estimate = 'measuring';
    const client = new TrainerClient((e) => {
      if (e.type === 'backend') this.run?.noteBackend(e.name, e.note);
      else if (e.type === 'estimate') {
        this.estimate = { msPerBatch: e.msPerBatch, backend: e.backend, threads: e.threads };
        client.dispose();
        if (this.estimator === client) this.estimator = undefined;
      } else if (e.type === 'error') {
        this.estimate = undefined;
        client.dispose();
      }
    });
    this.estimator = client;
    // ?estimateRuns=N lets the training benchmark time more batches than the default two.
    const runs = Number(new URLSearchParams(location.search).get('estimateRuns')) || 2;
    const s = this.settings;
    client.send({ type: 'estimate', config, batchSize: s.batchSize, backend: s.backend, runs, fastLstm: s.fastLstm, threads: s.threads });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-estimate': TrainingEstimate;
  }
}
