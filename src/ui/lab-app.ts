import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { FeatureSet } from '../dataset/feature-set';
import type { GtzanSummary } from '../dataset/gtzan';
import { featureTypeOf } from '../dsp/settings';
import { GTZAN_SPLITS } from '../model/data/split-options';
import './dataset/dataset-panel';
import type { TuningParams } from '../model/tuning/search-space';
import './classify/classify-panel';
import './training/training-panel';
import type { TrainedModel } from './training/training-run';
import './tuning/tuning-panel';
import './runs/runs-panel';
import type { RunRecord } from '../storage/run-store';
import './update-banner';
import './activity-line';
import { DEFAULT_TRAINING_SETTINGS, settingsOfPreset, type TrainingSettings } from './training/training-form';
import { presetForFeatures } from '../model/training/presets';
import { TRIAL_EARLY_STOPPING } from '../model/tuning/tuning-run';
import type { FeatureChoice } from '../dataset/feature-choices';

/** The five steps, in the navigation's order. */
const STEPS = [
  { id: 'features', label: 'Features' },
  { id: 'train', label: 'Train' },
  { id: 'tune', label: 'Tune' },
  { id: 'classify', label: 'Classify' },
  { id: 'runs', label: 'Runs' },
] as const;

/**
 * The page: a bar that stays on screen (the steps, what runs now), a header saying what the lab
 * is, then one panel per step.
 */
@customElement('gtzan-lab')
export class LabApp extends LitElement {
  /** The features every later step works on; set by the dataset panel. */
  @state() features: FeatureSet | undefined;
  /** The training form's settings: tuning reads them and "Use best" writes them. */
  @state() training: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
  @state() model: TrainedModel | undefined;
  /** Set by the dataset panel: whether the features are GTZAN's, and whether its lists cover them. */
  @state() gtzan: GtzanSummary | undefined;

  private onFeatures(e: CustomEvent<{ features?: FeatureSet; gtzan?: GtzanSummary }>) {
    const before = this.features && featureTypeOf(this.features.settings);
    this.features = e.detail.features;
    this.gtzan = e.detail.gtzan;
    // The field's split is the default on GTZAN; elsewhere the GTZAN splits cannot be made.
    const split = this.gtzan?.filteredFits ? 'filtered' : GTZAN_SPLITS.has(this.training.split) && !this.gtzan?.recognized ? 'clip' : this.training.split;
    // Each feature type brings its usual model (the recipe's LSTM on MFCCs, the 2-D CNN on
    // log-mel) when it replaces the other type; a model chosen for these features stays.
    const f = this.features;
    const type = f && featureTypeOf(f.settings);
    if (f && type !== (before ?? 'mfcc')) {
      // Features of the other type bring the preset made for them (the best honest CNN for 64
      // log-mel bands, the recipe for 13 MFCCs), unless the user set the fields by hand; other
      // sizes bring their usual model (the 2-D CNN on log-mel, the LSTM on MFCCs).
      const fitting = presetForFeatures(f.settings, f.coefficients);
      if (fitting && this.training.preset !== 'custom') this.training = settingsOfPreset(fitting, { ...this.training, split });
      else this.training = { ...this.training, split, model: type === 'logmel' ? 'cnn' : 'lstm' };
    } else if (split !== this.training.split) {
      this.training = { ...this.training, split };
    }
  }

  /** A preset asked for features the dataset panel can make: it extracts (or restores) them. */
  private extractFeatures(e: CustomEvent<{ choice: FeatureChoice }>) {
    const panel = this.renderRoot.querySelector('dataset-panel');
    void panel?.useChoice(e.detail.choice);
    this.goTo('features');
  }

  static override styles = css`
    :host { display: block; max-width: 1100px; margin: 0 auto; padding: 0 1.5rem 1.5rem; }
    header h1 { margin: 1rem 0 0.25rem; font-size: 1.8rem; }
    header p { margin: 0.25rem 0; color: #3d4752; max-width: 70ch; line-height: 1.45; }
    /* The steps and what runs now stay on screen wherever the page is scrolled. */
    .bar { position: sticky; top: 0; z-index: 10; background: #f4f6f8; border-bottom: 1px solid #d5dbe1; padding: 0.4rem 0; }
    nav ol { list-style: none; margin: 0 0 0.3rem; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem; counter-reset: step; }
    nav a { display: inline-block; padding: 0.3rem 0.7rem; border-radius: 6px; color: #1d3557; text-decoration: none; border: 1px solid #d5dbe1; background: #fff; }
    nav a[aria-current] { background: #1d3557; color: #fff; border-color: #1d3557; }
    nav a:focus-visible { outline: 3px solid #e07a00; outline-offset: 2px; }
    .step { scroll-margin-top: 6rem; }
  `;

  private onRunEnded(e: CustomEvent<{ run: RunRecord; model?: TrainedModel }>) {
    void this.renderRoot.querySelector('runs-panel')?.add(e.detail.run, e.detail.model);
  }

  private loadRunSettings(e: CustomEvent<Partial<TrainingSettings>>) {
    // Runs kept before presets existed name none: their fields are the user's own.
    this.training = { ...DEFAULT_TRAINING_SETTINGS, preset: 'custom', ...e.detail };
    this.goTo('train');
  }

  private useRunModel(e: CustomEvent<{ model: TrainedModel; source: string }>) {
    const panel = this.renderRoot.querySelector('classify-panel');
    panel?.use(e.detail.model, e.detail.source);
    this.goTo('classify');
  }

  /** A clip chosen in the evaluation's error lists opens in the dataset panel's inspector. */
  private inspectClip(e: CustomEvent<{ path: string; play?: boolean }>) {
    this.renderRoot.querySelector('dataset-panel')?.inspect(e.detail.path, e.detail.play);
  }

  private useBest(e: CustomEvent<TuningParams>) {
    const p = e.detail;
    this.training = {
      ...this.training, model: p.model, filters: p.filters, lstmUnits: p.lstmUnits, denseUnits: p.denseUnits,
      dropout: p.dropout, learningRate: p.learningRate, batchSize: p.batchSize, preset: 'custom',
      // Trials were judged on the weights of their best epoch: the winner trains so again.
      earlyStopping: this.training.earlyStopping || TRIAL_EARLY_STOPPING,
    };
    this.goTo('train');
  }

  /** The step on screen (the one whose top is nearest below the bar), for the navigation's mark. */
  @state() private current = 'features';
  private stepObserver: IntersectionObserver | undefined;

  protected override firstUpdated(): void {
    const seen = new Map<string, boolean>();
    this.stepObserver = new IntersectionObserver((entries) => {
      for (const e of entries) seen.set((e.target as HTMLElement).id.replace('step-', ''), e.isIntersecting);
      this.current = STEPS.find((s) => seen.get(s.id))?.id ?? this.current;
    }, { rootMargin: '-20% 0px -60% 0px' });
    this.renderRoot.querySelectorAll('.step').forEach((el) => this.stepObserver!.observe(el));
    const hash = location.hash.slice(1);
    if (STEPS.some((s) => s.id === hash)) this.goTo(hash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stepObserver?.disconnect();
  }

  /** Scrolls to a step and moves the keyboard focus to its heading. */
  private goTo(id: string, e?: Event) {
    e?.preventDefault();
    const step = this.renderRoot.querySelector<HTMLElement>(`#step-${id}`);
    if (!step) return;
    step.scrollIntoView({ block: 'start' });
    history.replaceState(null, '', `#${id}`);
    this.current = id;
    const heading = step.firstElementChild?.shadowRoot?.querySelector<HTMLElement>('h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  override render() {
    return html`
      <div class="bar">
        <nav aria-label="Steps"><ol>${STEPS.map((s, i) => html`<li><a href="#${s.id}" aria-current=${this.current === s.id ? 'step' : nothing}
          @click=${(e: Event) => this.goTo(s.id, e)}>${i + 1}. ${s.label}</a></li>`)}</ol></nav>
        <section aria-label="What runs now"><activity-line></activity-line></section>
      </div>
      <header>
        <update-banner></update-banner>
        <h1>GTZAN Lab</h1>
        <p>
          Train a music genre classifier in your browser. Drop the GTZAN dataset folder, watch every clip turn
          into MFCCs or log-mel spectrograms, train an LSTM or a convolutional network and see how well it tells
          the genres apart, on splits that hold out whole clips or whole artists.
        </p>
        <p>Everything runs on this page: your audio never leaves your machine.</p>
      </header>
      <main>
        <div class="step" id="step-features"><dataset-panel .lastSplit=${this.model?.metadata.split} @features-changed=${this.onFeatures}></dataset-panel></div>
        <div class="step" id="step-train"><training-panel @run-ended=${this.onRunEnded} @extract-features=${this.extractFeatures} @inspect-clip=${this.inspectClip} .features=${this.features} .settings=${this.training} .gtzan=${this.gtzan}
          @settings-changed=${(e: CustomEvent<TrainingSettings>) => (this.training = e.detail)}
          @model-changed=${(e: CustomEvent<{ model?: TrainedModel }>) => (this.model = e.detail.model)}></training-panel></div>
        <div class="step" id="step-tune"><tuning-panel .features=${this.features} .base=${this.training} @use-best=${this.useBest}></tuning-panel></div>
        <div class="step" id="step-classify"><classify-panel .trained=${this.model}></classify-panel></div>
        <div class="step" id="step-runs"><runs-panel @load-run-settings=${this.loadRunSettings} @use-run-model=${this.useRunModel}></runs-panel></div>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gtzan-lab': LabApp;
  }
}
