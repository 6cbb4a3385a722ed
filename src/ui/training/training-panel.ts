import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { FeatureSet } from '../../dataset/feature-set';
import { segmentCount } from '../../dataset/feature-set';
import { DEFAULT_SPLIT } from '../../model/data/split-options';
import type { GtzanSummary } from '../../dataset/gtzan';
import { ActivityFlag } from '../../app/activity';
import { downloadModel } from '../shared/download';
import './kept-models';
import { previewSplit, type SplitPreview } from './split-preview';
import { StoreWatch } from '../shared/store-watch';
import { panelStyles } from '../shared/styles';
import './training-estimate';
import './training-evaluation';
import './training-form';
import './leak-report';
import { DEFAULT_TRAINING_SETTINGS, settingsProblem, type TrainingSettingsStore, type TrainingSettings } from '../../app/training-settings';
import './training-progress';
import type { TrainingRun } from '../../app/training-run';
import { settingsContext, trainingContext } from '../shared/app-context';
import { PRESETS, presetFeaturesLabel, presetFeaturesProblem } from '../../model/training/presets';
import { FEATURE_CHOICES } from '../../dataset/feature-choices';
import { coefficientsPerFrame, featureTypeOf } from '../../dsp/settings';

/**
 * Step 2: the form, the split it makes and the buttons. The run itself (worker, curves,
 * checkpoints, the model it made) lives in a plain `TrainingRun` that this panel's views read:
 * the estimate, the progress, the kept models and the evaluation.
 */
@customElement('training-panel')
export class TrainingPanel extends LitElement {
  static override styles = [panelStyles, css`
    .status { font-variant-numeric: tabular-nums; }
    .big { font-size: 1.1rem; font-weight: 600; }
    /* The layers' names and shapes wrap in columns of the panel's width rather than widening the page. */
    table[data-testid="model-summary"] { table-layout: fixed; width: 100%; }
    table[data-testid="model-summary"] td { overflow-wrap: anywhere; }
  `];

  @property({ attribute: false }) features: FeatureSet | undefined;
  /** The page's settings store, which the form edits; `settings` is its current value, passed by the page. */
  @consume({ context: settingsContext }) @property({ attribute: false }) store!: TrainingSettingsStore;
  @property({ attribute: false }) settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
  /** Whether the features are GTZAN's (the GTZAN splits need its names), and if the filtered split fits them. */
  @property({ attribute: false }) gtzan: GtzanSummary | undefined;
  /** The split the form describes, made on the features' clips: its sizes, or why it cannot be used. */
  @state() private splitPreview: SplitPreview | undefined;
  /** The page's training run, which this panel's views draw. */
  @consume({ context: trainingContext }) @property({ attribute: false }) run!: TrainingRun;
  private readonly activity = new ActivityFlag('training', () => this.run.stop());

  constructor() {
    super();
    new StoreWatch(this, () => this.run);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // ?debug exposes a way for browser tests to simulate a GPU reset during training.
    if (new URLSearchParams(location.search).has('debug')) {
      (window as unknown as { gtzanLabDebug: object }).gtzanLabDebug = { loseWebGLContext: () => this.run.loseWebGLContext() };
    }
  }

  protected override willUpdate(): void {
    const r = this.run;
    const last = r.epochs[r.epochs.length - 1];
    this.activity.set(r.running, r.stopping ? 'stopping…' : `epoch ${last ? Math.min(last.epoch + 1, r.epochsPlanned) : 1}/${r.epochsPlanned}`);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Only a change of the features, the split or its seed makes a new preview. The preview sets
    // state, which updates the panel again: any other condition here re-renders for ever.
    const before = changed.get('settings');
    const splitChanged = changed.has('settings') && (before?.split !== this.settings.split || before?.seed !== this.settings.seed);
    if (changed.has('features') || splitChanged) void this.previewSplit();
  }

  /** Makes the chosen split on the features' clips (no features copied) to show its sizes. */
  private async previewSplit() {
    const f = this.features;
    const s = this.settings;
    const preview = f ? await previewSplit(f, { ...DEFAULT_SPLIT, mode: s.split, seed: s.seed }) : undefined;
    if (f === this.features && s.split === this.settings.split && s.seed === this.settings.seed) this.splitPreview = preview;
  }

  private get problem(): string | undefined {
    const f = this.features;
    if (!f) return undefined;
    if (this.splitPreview?.problem) return `Cannot train: ${this.splitPreview.problem}.`;
    return settingsProblem(f, this.settings);
  }

  private get trainingSegments(): number {
    if (this.splitPreview) return this.splitPreview.trainSegments;
    const n = this.features ? segmentCount(this.features) : 0;
    return Math.round(n * (1 - DEFAULT_SPLIT.testFraction) * (1 - DEFAULT_SPLIT.validationFraction));
  }

  override render() {
    const f = this.features;
    const run = this.run;
    const problem = this.problem;
    return html`
      <section class="panel" aria-labelledby="training-heading">
        <h2 id="training-heading">2. Train the model</h2>
        ${!f ? html`<p class="muted">Choose a dataset first: training starts from its features.</p>` : ''}
        <kept-models .run=${run}></kept-models>
        <training-form .store=${this.store} ?disabled=${run.running} ?gtzan=${!!this.gtzan?.recognized} ?loaded=${!!f}></training-form>
        ${this.gtzan?.recognized && !this.gtzan.filteredFits ? html`<p class="muted" data-testid="filtered-note">These GTZAN clips hold
          ${this.gtzan.sides.train} of the fault-filtered split's training clips, ${this.gtzan.sides.validation} of its validation clips and
          ${this.gtzan.sides.test} of its test clips; it needs all three sides (and most clips in its lists) to be the default.</p>` : ''}
        ${this.splitPreview && !this.splitPreview.problem ? html`<p data-testid="split-sizes">The ${this.splitPreview.sizes}.</p>` : ''}
        ${this.splitPreview?.warnings.length ? html`<ul class="warning" data-testid="split-warnings" aria-label="What makes this split's numbers weak">
          ${this.splitPreview.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
        ${this.renderPresetFeatures()}
        ${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
        <training-estimate .run=${run} .features=${f} .settings=${this.settings}
          .trainingSegments=${this.trainingSegments} ?blocked=${!!problem}></training-estimate>
        <div class="row">
          <button ?disabled=${!f || run.running || !!problem} @click=${this.train}>Train</button>
          <button class="secondary" ?disabled=${!run.running || run.stopping} @click=${() => run.stop()}>Stop</button>
          <button class="secondary" ?disabled=${!run.model || run.running} @click=${this.download}>Download model</button>
        </div>
        ${run.backend ? html`<p data-testid="backend">Backend: <strong>${run.backend.name}</strong> — ${run.backend.note}</p>` : ''}
        ${run.message ? html`<p class="error" role="alert">${run.message}</p>` : ''}
        ${run.rerunCheck ? html`<p class=${run.rerunCheck.matched ? '' : 'warning'} role="status" data-testid="rerun-result">${run.rerunCheck.text}</p>` : ''}
        <training-progress .run=${run}></training-progress>
        <training-evaluation .run=${run} .features=${f}></training-evaluation>
        <leak-report .features=${f} .settings=${this.settings} .gtzan=${this.gtzan} ?busy=${run.running}></leak-report>
      </section>
    `;
  }

  /** A preset made for other features: say so, and offer to make them. */
  private renderPresetFeatures() {
    const f = this.features;
    const name = this.settings.preset;
    if (!f || !name || name === 'custom') return '';
    const preset = PRESETS[name];
    const problem = presetFeaturesProblem(preset, f.settings, f.coefficients);
    if (!problem) return '';
    const want = preset.features!;
    const choice = FEATURE_CHOICES.find((c) => featureTypeOf(c.settings) === want.featureType && coefficientsPerFrame(c.settings) === want.values);
    return html`<p class="warning" role="status" data-testid="preset-features">${problem[0].toUpperCase()}${problem.slice(1)}: training now trains its
      model on these features instead, which is not what the preset measured.
      ${choice ? html`<button class="secondary" @click=${() => this.emit('extract-features', { choice: choice.id })}>Extract ${presetFeaturesLabel(want)}</button>` : ''}</p>`;
  }

  private emit(type: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private train() {
    if (this.features && !this.problem) void this.run.train(this.features, this.settings, this.splitPreview?.sizes);
  }

  private download() {
    if (this.run.model) void downloadModel(this.run.model);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-panel': TrainingPanel;
  }
}
