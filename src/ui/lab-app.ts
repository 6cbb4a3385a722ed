import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { FeatureSet } from '../dataset/feature-set';
import type { GtzanSummary } from '../dataset/gtzan';
import { featureTypeOf } from '../dsp/settings';
import { splitInputOf } from '../dataset/training-data';
import './dataset/dataset-panel';
import type { TuningParams } from '../model/tuning/search-space';
import './classify/classify-panel';
import './training/training-panel';
import type { TrainedModel } from '../app/training-run';
import './tuning/tuning-panel';
import './runs/runs-panel';
import type { RunRecord } from '../storage/run-store';
import './update-banner';
import './activity-line';
import { DEFAULT_TRAINING_SETTINGS, TrainingSettingsStore, type TrainingSettings } from '../app/training-settings';
import { StoreWatch } from './shared/store-watch';
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
  constructor() {
    super();
    new StoreWatch(this, () => this.settings);
  }

  /** The features every later step works on; set by the dataset panel. */
  @state() features: FeatureSet | undefined;
  /** The training form's settings: the form edits them, tuning reads them and "Use best" writes them. */
  readonly settings = new TrainingSettingsStore();
  @state() model: TrainedModel | undefined;
  /** Set by the dataset panel: whether the features are GTZAN's, and whether its lists cover them. */
  @state() gtzan: GtzanSummary | undefined;

  private async onFeatures(e: CustomEvent<{ features?: FeatureSet; gtzan?: GtzanSummary }>) {
    const before = this.features && featureTypeOf(this.features.settings);
    const f = e.detail.features;
    const gtzan = e.detail.gtzan;
    this.features = f;
    this.gtzan = gtzan;
    if (!f) return;
    // The split code (with GTZAN's lists) loads on first use, not with the page.
    const { defaultSplit } = await import('../model/evaluation/default-split');
    if (f !== this.features) return;
    const split = defaultSplit(splitInputOf(f), gtzan ?? { recognized: false, filteredFits: false }, this.settings.settings.seed);
    const type = featureTypeOf(f.settings);
    // Features of the other type bring the preset made for them (the cnn preset for 64 log-mel
    // bands, the recipe for 13 MFCCs) or their usual model, unless the user chose the model.
    this.settings.featuresChanged({
      typeChanged: type !== (before ?? 'mfcc'), fittingPreset: presetForFeatures(f.settings, f.coefficients),
      usualModel: type === 'logmel' ? 'cnn' : 'lstm', split: split.mode, splitReason: split.reason, gtzan: !!gtzan?.recognized,
    });
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
    this.settings.load({ ...DEFAULT_TRAINING_SETTINGS, preset: 'custom', ...e.detail });
    this.goTo('train');
  }

  /** A kept run to train again: its settings go into the form, and the training panel runs and checks it. */
  @state() private rerunRequest: { run: RunRecord } | undefined;

  private rerun(e: CustomEvent<{ run: RunRecord }>) {
    this.settings.load({ ...DEFAULT_TRAINING_SETTINGS, preset: 'custom', ...e.detail.run.settings });
    this.rerunRequest = { run: e.detail.run };
    this.goTo('train');
  }

  private useRunModel(e: CustomEvent<{ model: TrainedModel; source: string }>) {
    const panel = this.renderRoot.querySelector('classify-panel');
    panel?.use(e.detail.model, e.detail.source);
    this.goTo('classify');
  }

  /** A clip chosen in the evaluation's error lists opens in the dataset panel's inspector. */
  private inspectClip(e: CustomEvent<{ path: string; play?: boolean; explain?: boolean }>) {
    this.renderRoot.querySelector('dataset-panel')?.inspect(e.detail.path, e.detail.play, e.detail.explain);
  }

  private useBest(e: CustomEvent<TuningParams>) {
    const p = e.detail;
    this.settings.load({
      model: p.model, filters: p.filters, lstmUnits: p.lstmUnits, denseUnits: p.denseUnits,
      dropout: p.dropout, learningRate: p.learningRate, batchSize: p.batchSize, preset: 'custom',
      // Trials were judged on the weights of their best epoch: the winner trains so again.
      earlyStopping: this.settings.settings.earlyStopping || TRIAL_EARLY_STOPPING,
    });
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
    this.renderRoot.querySelectorAll('.step').forEach((el) => { this.stepObserver!.observe(el); });
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
        <div class="step" id="step-features"><dataset-panel .lastSplit=${this.model?.metadata.split} .model=${this.model} @features-changed=${this.onFeatures}></dataset-panel></div>
        <div class="step" id="step-train"><training-panel @run-ended=${this.onRunEnded} @extract-features=${this.extractFeatures} @inspect-clip=${this.inspectClip} .features=${this.features} .store=${this.settings} .settings=${this.settings.settings} .gtzan=${this.gtzan} .rerunRequest=${this.rerunRequest}
          @model-changed=${(e: CustomEvent<{ model?: TrainedModel }>) => (this.model = e.detail.model)}></training-panel></div>
        <div class="step" id="step-tune"><tuning-panel .features=${this.features} .base=${this.settings.settings} @use-best=${this.useBest}></tuning-panel></div>
        <div class="step" id="step-classify"><classify-panel .trained=${this.model}></classify-panel></div>
        <div class="step" id="step-runs"><runs-panel @load-run-settings=${this.loadRunSettings} @use-run-model=${this.useRunModel} @rerun=${this.rerun}></runs-panel></div>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gtzan-lab': LabApp;
  }
}
