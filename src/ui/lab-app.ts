import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import type { FeatureChoice } from '../dataset/feature-choices';
import type { TuningParams } from '../tuning/search-space';
import type { RunRecord } from '../storage/run-store';
import { Lab } from '../app/lab';
import type { TrainedModel } from '../app/training-run';
import type { TrainingSettings } from '../app/training-settings';
import { datasetContext, runListContext, settingsContext, trainingContext, tuningContext } from './shared/app-context';
import { StoreWatch } from './shared/store-watch';
import { TrainerClient } from './shared/trainer-client';
import './dataset/dataset-panel';
import './classify/classify-panel';
import './training/training-panel';
import './tuning/tuning-panel';
import './runs/runs-panel';
import './update-banner';
import './activity-line';

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
  /** The lab's state and work (src/app), provided to the panels; this element only lays them out and navigates. */
  readonly lab = new Lab({ startTrainer: (onEvent) => new TrainerClient(onEvent) });

  /** The features every later step works on (the page's tests read them here). */
  get features() {
    return this.lab.features;
  }

  /** The model trained or restored in the training step. */
  get model() {
    return this.lab.model;
  }

  constructor() {
    super();
    new StoreWatch(this, () => this.lab);
    new StoreWatch(this, () => this.lab.settings);
    new ContextProvider(this, { context: datasetContext, initialValue: this.lab.dataset });
    new ContextProvider(this, { context: settingsContext, initialValue: this.lab.settings });
    new ContextProvider(this, { context: trainingContext, initialValue: this.lab.training });
    new ContextProvider(this, { context: tuningContext, initialValue: this.lab.tuning });
    new ContextProvider(this, { context: runListContext, initialValue: this.lab.runs });
  }

  /** A preset asked for features the dataset panel can make: it extracts (or restores) them. */
  private extractFeatures(e: CustomEvent<{ choice: FeatureChoice }>) {
    this.lab.extractFeatures(e.detail.choice);
    this.goTo('features');
  }

  static override styles = css`
    :host { display: block; max-width: 1100px; margin: 0 auto; padding: 0 1.5rem 1.5rem; }
    header h1 { margin: 1rem 0 0.25rem; font-size: 1.8rem; }
    header p { margin: 0.25rem 0; color: #3d4752; max-width: 70ch; line-height: 1.45; }
    /* The steps and what runs now stay on screen wherever the page is scrolled. */
    .bar { position: sticky; top: 0; z-index: 10; background: #f4f6f8; border-bottom: 1px solid #d5dbe1; padding: 0.4rem 0; }
    nav ol { list-style: none; margin: 0 0 0.3rem; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem; counter-reset: step; }
    nav a {
      display: inline-block; padding: 0.3rem 0.7rem; border-radius: 6px; color: #1d3557;
      text-decoration: none; border: 1px solid #d5dbe1; background: #fff;
    }
    nav a[aria-current] { background: #1d3557; color: #fff; border-color: #1d3557; }
    nav a:focus-visible { outline: 3px solid #e07a00; outline-offset: 2px; }
    .step { scroll-margin-top: 6rem; }
  `;

  private loadRunSettings(e: CustomEvent<Partial<TrainingSettings>>) {
    this.lab.loadRunSettings(e.detail);
    this.goTo('train');
  }

  /** A kept run to train again: its settings go into the form, and the training step runs and checks it. */
  private rerun(e: CustomEvent<{ run: RunRecord }>) {
    void this.lab.rerun(e.detail.run);
    this.goTo('train');
  }

  private useRunModel(e: CustomEvent<{ model: TrainedModel; source: string }>) {
    this.lab.classifyWith(e.detail.model, e.detail.source);
    this.goTo('classify');
  }

  /** A clip chosen in the evaluation's error lists opens in the dataset panel's inspector. */
  private inspectClip(e: CustomEvent<{ path: string; play?: boolean; explain?: boolean }>) {
    this.lab.inspectClip(e.detail.path, e.detail.play, e.detail.explain);
  }

  private useBest(e: CustomEvent<TuningParams>) {
    this.lab.useBest(e.detail);
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

  override connectedCallback(): void {
    super.connectedCallback();
    this.lab.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stepObserver?.disconnect();
    this.lab.dispose();
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
    const lab = this.lab;
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
        <div class="step" id="step-features"><dataset-panel .lastSplit=${lab.model?.metadata.split} .model=${lab.model}></dataset-panel></div>
        <div class="step" id="step-train"><training-panel @extract-features=${this.extractFeatures} @inspect-clip=${this.inspectClip}
          .features=${lab.features} .settings=${lab.settings.settings} .gtzan=${lab.gtzan}></training-panel></div>
        <div class="step" id="step-tune"><tuning-panel .features=${lab.features} .base=${lab.settings.settings} @use-best=${this.useBest}></tuning-panel></div>
        <div class="step" id="step-classify"><classify-panel .trained=${lab.model} .chosen=${lab.chosenModel}></classify-panel></div>
        <div class="step" id="step-runs"><runs-panel @load-run-settings=${this.loadRunSettings}
          @use-run-model=${this.useRunModel} @rerun=${this.rerun}></runs-panel></div>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gtzan-lab': LabApp;
  }
}
