import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { FeatureSet } from '../dataset/feature-set';
import { segmentCount } from '../dataset/feature-set';
import type { ModelFiles } from '../model/artifacts';
import type { LayerRow } from '../model/build';
import { validateConfig, type ModelConfig } from '../model/config';
import { toTrainingData } from '../model/dataset';
import type { Evaluation } from '../model/evaluate';
import type { ModelMetadata } from '../model/metadata';
import type { EpochReport, SessionOptions } from '../model/session';
import { DEFAULT_SPLIT } from '../model/split-options';
import type { TrainEvent } from '../model/train-protocol';
import { openLabDb } from '../storage/db';
import { LatestWriter } from '../storage/latest-writer';
import { holdRunLock, isCheckpoint, ModelStore, newRunId, whenRunEnds, type StoredModel } from '../storage/model-store';
import { downloadModel } from './download';
import './evaluation-view';
import { panelStyles } from './styles';
import type { GtzanSummary } from '../dataset/gtzan';
import type { RunRecord } from '../storage/run-store';
import { ActivityFlag } from './activity';
import { previewSplit, type SplitPreview } from './split-preview';
import { TrainerClient } from './trainer-client';
import './training-charts';
import type { BatchPoint } from './training-charts';
import './training-form';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from './training-form';

/** The trained model the page holds: files to download or classify with, and what describes them. */
export interface TrainedModel {
  files: ModelFiles;
  metadata: ModelMetadata;
  evaluation?: Evaluation;
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Step 2: train the LSTM in a worker, watch it learn, evaluate on held-out data, take it home. */
@customElement('training-panel')
export class TrainingPanel extends LitElement {
  static override styles = [panelStyles, css`
    .status { font-variant-numeric: tabular-nums; }
    .big { font-size: 1.1rem; font-weight: 600; }
  `];

  @property({ attribute: false }) features: FeatureSet | undefined;
  /** Owned by the page (so tuning can set it); changes come back as `settings-changed`. */
  @property({ attribute: false }) settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
  /** Whether the features are GTZAN's (the GTZAN splits need its names), and if the filtered split fits them. */
  @property({ attribute: false }) gtzan: GtzanSummary | undefined;
  /** The split the form describes, made on the features' clips: its sizes, or why it cannot be used. */
  @state() private splitPreview: SplitPreview | undefined;
  @state() private running = false;
  @state() private stopping = false;
  @state() private backend: { name: string; note: string } | undefined;
  @state() private estimate: { msPerBatch: number; backend: string } | 'measuring' | undefined;
  @state() private batches: BatchPoint[] = [];
  @state() private epochs: EpochReport[] = [];
  @state() private summaryRows: LayerRow[] = [];
  @state() private params = 0;
  @state() private model: TrainedModel | undefined;
  @state() private message = '';
  @state() private saved: StoredModel | undefined;
  @state() private checkpoint: StoredModel | undefined;
  private trainer: TrainerClient | undefined;
  private endRun: (() => void) | undefined;
  /** What the run in progress started from, for its record in the Runs section. */
  private runStart: { at: number; settings: TrainingSettings; features: FeatureSet } | undefined;
  private estimator: TrainerClient | undefined;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private store: Promise<ModelStore> = openLabDb().then((db) => new ModelStore(db));

  override connectedCallback(): void {
    super.connectedCallback();
    // ?debug exposes a way for browser tests to simulate a GPU reset during training.
    if (new URLSearchParams(location.search).has('debug')) {
      (window as unknown as { gtzanLabDebug: object }).gtzanLabDebug = { loseWebGLContext: () => this.trainer?.send({ type: 'lose-webgl-context' }) };
    }
    void this.store.then(async (s) => {
      this.saved = await s.load('last');
      await this.offerInterrupted(s);
      // A run still going (in another tab, or this tab's page before a reload, releasing its lock)
      // is offered once it ends without finishing.
      for (const id of await s.liveCheckpoints()) void whenRunEnds(id).then(() => this.offerInterrupted(s));
    });
  }

  /** Offers the newest checkpoint of a run no tab runs any more, unless a run is going here. */
  private async offerInterrupted(s: ModelStore) {
    if (this.running) return;
    const interrupted = await s.interruptedCheckpoints();
    const newest = interrupted[interrupted.length - 1];
    if (newest && newest !== this.checkpoint?.id) this.checkpoint = await s.load(newest);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.trainer?.dispose();
    this.estimator?.dispose();
  }

  private readonly activity = new ActivityFlag('training');

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('running' as keyof TrainingPanel)) this.activity.set(this.running);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const before = changed.get('settings') as TrainingSettings | undefined;
    if (changed.has('features') || (before && this.sizeChanged(before, this.settings))) this.scheduleEstimate();
    if (changed.has('features') || before?.split !== this.settings.split || before?.seed !== this.settings.seed) void this.previewSplit();
  }

  private sizeChanged(a: TrainingSettings, b: TrainingSettings): boolean {
    return a.lstmUnits !== b.lstmUnits || a.denseUnits !== b.denseUnits || a.batchSize !== b.batchSize || a.backend !== b.backend
      || a.fastLstm !== b.fastLstm;
  }

  private get modelConfig(): ModelConfig | undefined {
    const f = this.features;
    if (!f) return undefined;
    const s = this.settings;
    return {
      frames: f.frames, coefficients: f.coefficients, classes: f.genres.length,
      lstmUnits: [s.lstmUnits, s.lstmUnits], denseUnits: s.denseUnits, dropout: s.dropout, learningRate: s.learningRate,
    };
  }

  /** Makes the chosen split on the features' clips (no features copied) to show its sizes. */
  private async previewSplit() {
    const f = this.features;
    const s = this.settings;
    const preview = f ? await previewSplit(f, { ...DEFAULT_SPLIT, mode: s.split, seed: s.seed }) : undefined;
    if (f === this.features && s.split === this.settings.split && s.seed === this.settings.seed) this.splitPreview = preview;
  }

  private get problem(): string | undefined {
    const c = this.modelConfig;
    if (!c) return undefined;
    if (this.splitPreview?.problem) return `Cannot train: ${this.splitPreview.problem}.`;
    const s = this.settings;
    return validateConfig(c, { epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, standardize: s.standardize });
  }

  private get trainingSegments(): number {
    if (this.splitPreview) return this.splitPreview.trainSegments;
    const n = this.features ? segmentCount(this.features) : 0;
    return Math.round(n * (1 - DEFAULT_SPLIT.testFraction) * (1 - DEFAULT_SPLIT.validationFraction));
  }

  override render() {
    const f = this.features;
    return html`
      <section class="panel" aria-labelledby="training-heading">
        <h2 id="training-heading">2. Train the model</h2>
        ${!f ? html`<p class="muted">Choose a dataset first: training starts from its features.</p>` : ''}
        ${this.renderSaved()}
        <training-form .settings=${this.settings} ?disabled=${this.running} ?gtzan=${!!this.gtzan?.recognized} @settings-changed=${this.onSettings}></training-form>
        ${this.gtzan?.recognized && !this.gtzan.filteredFits ? html`<p class="muted" data-testid="filtered-note">These GTZAN clips hold
          ${this.gtzan.sides.train} of the fault-filtered split's training clips, ${this.gtzan.sides.validation} of its validation clips and
          ${this.gtzan.sides.test} of its test clips; it needs all three sides (and most clips in its lists) to be the default.</p>` : ''}
        ${this.splitPreview && !this.splitPreview.problem ? html`<p data-testid="split-sizes">The ${this.splitPreview.sizes}.</p>` : ''}
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ''}
        ${f && !this.running ? this.renderEstimate() : ''}
        <div class="row">
          <button ?disabled=${!f || this.running || !!this.problem} @click=${this.train}>Train</button>
          <button class="secondary" ?disabled=${!this.running || this.stopping} @click=${this.stop}>Stop</button>
          <button class="secondary" ?disabled=${!this.model || this.running} @click=${this.download}>Download model</button>
        </div>
        ${this.backend ? html`<p data-testid="backend">Backend: <strong>${this.backend.name}</strong> — ${this.backend.note}</p>` : ''}
        ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
        ${this.renderProgress()}
        <training-charts .batches=${this.batches} .epochs=${this.epochs}></training-charts>
        ${this.summaryRows.length ? this.renderSummary() : ''}
        ${this.renderEvaluation()}
      </section>
    `;
  }

  private renderSaved() {
    if (this.running || this.model) return '';
    const parts = [];
    if (this.saved) {
      const m = this.saved.metadata;
      parts.push(html`<p class="row">A trained model is kept in this browser (${new Date(this.saved.savedAt).toLocaleString()},
        ${m.genres.length} genres${m.metrics ? `, test accuracy ${pct(m.metrics.testSegmentAccuracy)} per segment, split ${m.metrics.split}` : ''}).
        <button class="secondary" @click=${() => this.restore(this.saved!)}>Restore model</button></p>`);
    }
    if (this.checkpoint) {
      parts.push(html`<p class="row warning">A training run was interrupted; the model after epoch ${this.checkpoint.epoch} of ${this.checkpoint.epochs} is kept.
        <button class="secondary" @click=${() => this.restore(this.checkpoint!)}>Restore checkpoint</button></p>`);
    }
    return parts;
  }

  private renderEstimate() {
    const e = this.estimate;
    const batches = Math.ceil(this.trainingSegments / this.settings.batchSize);
    if (e === 'measuring') return html`<p class="muted" role="status">Measuring training speed on this machine…</p>`;
    if (!e) return '';
    const epoch = (e.msPerBatch / 1000) * batches;
    return html`<p data-testid="estimate" role="status">Expected: ${(e.msPerBatch / 1000).toFixed(2)} s per batch of ${this.settings.batchSize} on
      ${e.backend}${this.settings.fastLstm ? ' with the fast LSTM' : ' with tf.layers.lstm'} → about <strong>${duration(epoch)} per epoch</strong> (${batches} batches), ${duration(epoch * this.settings.epochs)} for
      ${this.settings.epochs} epochs.</p>`;
  }

  private renderProgress() {
    const b = this.batches[this.batches.length - 1];
    const e = this.epochs[this.epochs.length - 1];
    if (!b && !e) return '';
    return html`<p class="status" data-testid="train-status">
      ${this.running ? `Training: epoch ${b?.epoch ?? 1} of ${this.settings.epochs}, batch ${b?.batch ?? 0} of ${b?.batches ?? '…'}. ` : ''}
      ${e ? `Last epoch took ${e.seconds.toFixed(1)} s, ${e.samplesPerSecond.toFixed(1)} samples/s.` : ''}</p>`;
  }

  private renderSummary() {
    return html`<details><summary>Model summary (${this.params.toLocaleString('en')} parameters)</summary>
      <table data-testid="model-summary"><thead><tr><th scope="col">Layer</th><th scope="col">Type</th><th scope="col">Output shape</th><th scope="col" class="num">Parameters</th></tr></thead>
      <tbody>${this.summaryRows.map((r) => html`<tr><td>${r.name}</td><td>${r.type}</td><td>${r.outputShape}</td><td class="num">${r.params.toLocaleString('en')}</td></tr>`)}</tbody></table></details>`;
  }

  private renderEvaluation() {
    const m = this.model;
    if (!m) return '';
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

  private onSettings(e: CustomEvent<TrainingSettings>) {
    // The event bubbles on to the page, which owns the settings and passes them back down.
    this.settings = e.detail;
  }

  private scheduleEstimate() {
    clearTimeout(this.estimateTimer);
    this.estimator?.dispose();
    this.estimator = undefined;
    this.estimate = undefined;
    if (!this.features || this.running || this.problem) return;
    this.estimateTimer = setTimeout(() => this.measure(), 400);
  }

  private measure() {
    const config = this.modelConfig;
    if (!config || this.running) return;
    this.estimate = 'measuring';
    const client = new TrainerClient((e) => {
      if (e.type === 'backend') this.backend = { name: e.name, note: e.note };
      else if (e.type === 'estimate') {
        this.estimate = { msPerBatch: e.msPerBatch, backend: e.backend };
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
    client.send({ type: 'estimate', config, batchSize: this.settings.batchSize, backend: this.settings.backend, runs, fastLstm: this.settings.fastLstm });
  }

  private async train() {
    const f = this.features;
    if (!f || this.running) return;
    clearTimeout(this.estimateTimer);
    this.estimator?.dispose();
    this.estimator = undefined;
    this.estimate = undefined;
    const s = this.settings;
    const options: Omit<SessionOptions, 'build'> = {
      model: { lstmUnits: [s.lstmUnits, s.lstmUnits], denseUnits: s.denseUnits, dropout: s.dropout, learningRate: s.learningRate },
      train: { epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, standardize: s.standardize },
      split: { ...DEFAULT_SPLIT, mode: s.split, seed: s.seed },
      fastLstm: s.fastLstm,
    };
    const data = toTrainingData(f);
    this.running = true;
    this.stopping = false;
    this.message = '';
    this.batches = [];
    this.epochs = [];
    this.model = undefined;
    this.emitModel();
    const store = await this.store;
    // This run's checkpoints are its own; those of runs no tab runs any more give way to it, as
    // the one interrupted checkpoint always did, while other tabs' running runs keep theirs.
    for (const id of await store.interruptedCheckpoints()) await store.remove(id);
    this.checkpoint = undefined;
    const runId = newRunId();
    this.runStart = { at: performance.now(), settings: { ...s }, features: f };
    const runEnded = new Promise<void>((r) => (this.endRun = r));
    await holdRunLock(runId, runEnded);
    const checkpoints = new LatestWriter<StoredModel>((m) => store.save(m));
    const client = new TrainerClient((e) => void this.onTrainEvent(e, store, runId, checkpoints));
    this.trainer = client;
    client.send({ type: 'train', data, options, features: f.settings, backend: s.backend }, [data.x.buffer, data.labels.buffer, data.clipOf.buffer]);
  }

  private async onTrainEvent(e: TrainEvent, store: ModelStore, runId: string, checkpoints: LatestWriter<StoredModel>) {
    switch (e.type) {
      case 'backend':
        this.backend = { name: e.name, note: e.note };
        break;
      case 'summary':
        this.summaryRows = e.rows;
        this.params = e.params;
        break;
      case 'batch': {
        const r = e.report;
        this.batches = [...this.batches, { ...r, x: r.epoch - 1 + r.batch / r.batches }];
        break;
      }
      case 'epoch':
        this.epochs = [...this.epochs, e.report];
        this.checkpoint = { id: `checkpoint:${runId}`, savedAt: Date.now(), files: e.checkpoint, metadata: e.metadata, epoch: e.report.epoch, epochs: e.report.epochs };
        checkpoints.offer(this.checkpoint);
        break;
      case 'done': {
        // The run's lock is let go once its checkpoint is gone, so no tab offers that checkpoint.
        const endRun = this.endRun;
        this.endRun = undefined;
        this.finish();
        this.model = { files: e.files, metadata: e.metadata, evaluation: e.evaluation };
        const kept = await store.save({ id: 'last', savedAt: Date.now(), files: e.files, metadata: e.metadata, evaluation: e.evaluation });
        // No checkpoint write may land after its removal.
        await checkpoints.close();
        await store.remove(`checkpoint:${runId}`);
        this.checkpoint = undefined;
        endRun?.();
        this.saved = undefined;
        if (!kept) this.message = 'The model could not be kept in this browser (storage unavailable): download it to keep it.';
        if (e.stopped) this.message = `Stopped after ${e.history.length} complete epoch${e.history.length === 1 ? '' : 's'}; the evaluation below is of the model as it was when stopped.`;
        this.emitModel();
        this.emitRun(runId, e.stopped ? 'stopped' : 'finished', e.metadata, { files: e.files, metadata: e.metadata, evaluation: e.evaluation });
        break;
      }
      case 'error': {
        if (!this.running) break;
        await checkpoints.flush();
        this.finish();
        const epoch = this.checkpoint?.epoch;
        this.message = `Training stopped: ${e.message}. Your features are kept${epoch ? `, and so is the model after epoch ${epoch} (Restore checkpoint)` : ''}.`
          + (/WebGL/.test(e.message) ? ' Choose the WASM backend to carry on without the GPU.' : '');
        this.emitRun(runId, 'failed', this.checkpoint?.metadata);
        break;
      }
      default:
        break;
    }
  }

  private finish() {
    this.endRun?.();
    this.endRun = undefined;
    this.trainer?.dispose();
    this.trainer = undefined;
    this.running = false;
    this.stopping = false;
  }

  private stop() {
    this.stopping = true;
    this.trainer?.send({ type: 'stop' });
  }

  private restore(m: StoredModel) {
    this.model = { files: m.files, metadata: m.metadata, evaluation: m.evaluation };
    if (isCheckpoint(m.id)) this.message = `Restored the model after epoch ${m.epoch} of ${m.epochs}; it was not evaluated on the test split.`;
    this.emitModel();
  }

  private download() {
    if (this.model) void downloadModel(this.model);
  }

  /** Tells the page that a run ended, as the Runs section keeps it (with its model, when it has one). */
  private emitRun(runId: string, status: RunRecord['status'], metadata: ModelMetadata | undefined, model?: TrainedModel) {
    const start = this.runStart;
    if (!start) return;
    const f = start.features;
    const s = start.settings;
    const run: RunRecord = {
      id: `run:${runId}`,
      savedAt: Date.now(),
      name: `${s.lstmUnits} units, lr ${s.learningRate}, batch ${s.batchSize}, ${s.split} split`,
      status,
      settings: { ...s },
      split: { mode: s.split, seed: s.seed, sizes: metadata?.split.sizes ?? this.splitPreview?.sizes ?? s.split },
      dataset: { name: f.clips[0]?.path.split('/')[0] ?? '', clips: f.clips.length, segments: segmentCount(f), genres: f.genres.length },
      epochs: this.epochs,
      metrics: model?.metadata.metrics ?? null,
      backend: this.backend?.name ?? s.backend,
      seconds: (performance.now() - start.at) / 1000,
      modelBytes: 0,
    };
    this.dispatchEvent(new CustomEvent('run-ended', { detail: { run, model }, bubbles: true, composed: true }));
  }

  private emitModel() {
    this.dispatchEvent(new CustomEvent('model-changed', { detail: { model: this.model }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-panel': TrainingPanel;
  }
}
