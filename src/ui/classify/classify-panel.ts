import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { BROWSER_AUDIO, extensionOf } from '../../dataset/scan';
import { samplesPerSegment } from '../../dsp/settings';
import type { Classification } from '../../evaluation/classify';
import { sideOfClipName } from '../../saving/metadata';
import { clipRequest } from '../../features/clip-request';
import { runAlone } from '../../features/pool';
import { readModelFiles } from './model-files';
import { ActivityFlag } from '../../app/activity';
import '../shared/line-chart';
import { SERIES_COLORS } from '../shared/colors';
import type { LineSeries } from '../shared/line-chart';
import { panelStyles } from '../shared/styles';
import { askTrainer } from '../shared/trainer-client';
import type { TrainedModel } from '../../app/training-run';
import type { ChosenModel } from '../../app/lab';
import { briefList, MAX_MATRIX_GENRES } from '../shared/many-genres';
import { charts } from '../shared/vis';
import '../shared/explanation-view';
import { ExplanationRun } from '../../app/explanation-run';
import { askExplainer } from '../shared/explainer-client';
import { StoreWatch } from '../shared/store-watch';
import { LiveListener } from './live-listener';
import { liveSection } from './live-view';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** One line per genre along the clip's time axis: a point per segment, at its middle. */
/** The genres most likely for the whole clip, at most `n` of them, as output indices. */
function topGenres(r: Classification, n: number): number[] {
  return r.genres.map((_, k) => k).sort((a, b) => r.clip[b] - r.clip[a]).slice(0, n);
}

/** Each of the clip's likeliest genres (all of them up to ten) along the clip, in the model's order. */
function overTime(r: Classification & { segmentSeconds: number }): LineSeries[] {
  return topGenres(r, 10).sort((a, b) => a - b).map((k) => ({
    name: r.genres[k],
    color: SERIES_COLORS[k % SERIES_COLORS.length],
    points: r.segments.map((p, i) => ({ x: i + 1, y: p[k] })),
  }));
}

/**
 * Step 4: classify one clip with the model just trained, the one kept in the browser, or one
 * loaded from files. The clip is cut with the model's own feature settings.
 */
@customElement('classify-panel')
export class ClassifyPanel extends LitElement {
  static override styles = [panelStyles, css`
    .drop { border: 2px dashed #8796a5; border-radius: 10px; padding: 0.75rem; margin: 0.5rem 0; }
    label.button { position: relative; }
    .bar { display: inline-block; height: 0.7rem; background: #1d3557; vertical-align: middle; }
  `];

  /** The model from the training panel (trained or restored). */
  @property({ attribute: false }) trained: TrainedModel | undefined;
  /** A model from elsewhere on the page (a kept run's) to classify with; each new one is used. */
  @property({ attribute: false }) chosen: ChosenModel | undefined;
  @state() private loaded: (TrainedModel & { source: string }) | undefined;
  @state() private result: (Classification & { file: string; segmentSeconds: number; features: Float32Array[] }) | undefined;
  /** The classified file, for playing an explained region. */
  private audioUrl: string | undefined;
  private readonly explanation = new ExplanationRun(askExplainer);
  private readonly live = new LiveListener(() => this.requestUpdate());
  @state() private message = '';
  @state() private busy = '';
  private abort: AbortController | undefined;

  constructor() {
    super();
    new StoreWatch(this, () => this.explanation);
  }

  private get model(): (TrainedModel & { source: string }) | undefined {
    return this.loaded ?? (this.trained ? { ...this.trained, source: 'the model trained in this page' } : undefined);
  }

  override render() {
    const m = this.model;
    return html`
      <section class="panel" aria-labelledby="classify-heading">
        <h2 id="classify-heading">4. Classify a clip</h2>
        <p data-testid="classify-model">${m ? html`Using ${m.source}: ${m.metadata.genres.length} genres (${briefList(m.metadata.genres)}).`
          : 'Train a model, restore the one kept in this browser, or load model files.'}</p>
        <div class="row">
          <label class="button secondary"><span>Load model files</span>
            <input class="visually-hidden" type="file" multiple accept=".json,.bin,.zip" aria-label="Load model files"
              ?disabled=${!!this.busy} @change=${this.onModelFiles} /></label>
          ${this.loaded ? html`<button class="secondary" @click=${() => { this.loaded = undefined; this.result = undefined; }}>Use the trained model instead</button>` : ''}
        </div>
        <div class="drop" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${this.onDrop} data-testid="classify-drop">
          <label class="button"><span>Choose a clip to classify</span>
            <input class="visually-hidden" type="file" accept="audio/*,.wav,.au,.snd" aria-label="Choose a clip to classify"
              ?disabled=${!m || !!this.busy} @change=${this.onClip} /></label>
          <span class="muted"> or drop one audio file here (WAV, AU, or anything your browser plays).</span>
        </div>
        ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
        ${this.busy ? html`<p class="row"><span role="status">${this.busy}</span>
          <button class="secondary" @click=${() => this.abort?.abort()}>Cancel</button></p>` : ''}
        ${this.result ? this.renderResult(this.result) : ''}
        ${this.result ? this.renderExplanation(this.result) : ''}
        ${liveSection(this.live, m)}
      </section>
    `;
  }

  private renderResult(r: Classification & { file: string; segmentSeconds: number }) {
    const order = r.genres.map((g, k) => ({ g, p: r.clip[k] })).sort((a, b) => b.p - a.p);
    return html`
      <h3 data-testid="classify-top">${r.file}: ${order[0].g} (${pct(order[0].p)})</h3>
      ${this.seenNote(r.file)}
      <div data-chart="clip-probabilities" role="img"
        aria-label="Genre probabilities for the whole clip${r.genres.length > MAX_MATRIX_GENRES ? `, the ${MAX_MATRIX_GENRES} likeliest` : ''}; the table gives the numbers"></div>
      <table data-testid="clip-probabilities">
        <caption class="visually-hidden">Genre probabilities for the whole clip</caption>
        <thead><tr><th scope="col">Genre</th><th scope="col" class="num">Probability</th><th scope="col"><span class="visually-hidden">Bar</span></th></tr></thead>
        <tbody>${order.map((o) => html`<tr data-genre=${o.g} data-probability=${o.p}><th scope="row">${o.g}</th><td class="num">${pct(o.p)}</td>
          <td><span class="bar" style="width:${(10 * o.p).toFixed(2)}rem"></span></td></tr>`)}</tbody>
      </table>
      <figure style="margin:0" data-testid="genre-over-time">
        <line-chart label="Genre probabilities along the clip, one point per segment; the per-segment table gives the numbers"
          xLabel=${`segment (${r.segmentSeconds.toFixed(1)} s each)`} yLabel="probability" .series=${this.seriesOf(r)}></line-chart>
        <figcaption class="muted">Genre over time: ${r.genres.length > 10 ? 'each of the ten likeliest genres\'' : 'each genre\'s'} probability in each segment of ${r.segmentSeconds.toFixed(1)} s.</figcaption>
      </figure>
      <details><summary>Per segment (${r.segments.length} segments of ${r.segmentSeconds.toFixed(1)} s)</summary>
        <table data-testid="segment-probabilities"><thead><tr><th scope="col">Segment</th><th scope="col">Top genre</th><th scope="col" class="num">Probability</th></tr></thead>
        <tbody>${r.segments.map((p, i) => {
          const k = p.indexOf(Math.max(...p));
          return html`<tr><td>${(i * r.segmentSeconds).toFixed(0)}–${((i + 1) * r.segmentSeconds).toFixed(0)} s</td><td>${r.genres[k]}</td><td class="num">${pct(p[k])}</td></tr>`;
        })}</tbody></table>
      </details>
    `;
  }

  /** Says when a clip of this name was in the model's training, validation or test set. */
  private seenNote(file: string) {
    const m = this.model;
    const side = m ? sideOfClipName(m.metadata, file) : undefined;
    if (!side) return '';
    const why = side === 'training' ? 'the model learned from it, so this answer says nothing of how it does on music it has not heard'
      : side === 'validation' ? 'it judged which epoch (or settings) to keep, so this answer flatters the model'
        : 'it is one of the clips the model\'s test accuracy counts; the model never trained on it';
    return html`<p class=${side === 'test' ? 'muted' : 'warning'} role="status" data-testid="classify-seen">A clip named ${file} was in this model's ${side} set: ${why}.</p>`;
  }

  private renderExplanation(r: Classification & { features: Float32Array[] }) {
    const e = this.explanation;
    const m = this.model;
    return html`<h3>Why this answer?</h3>
      <p class="row" data-testid="classify-explain" data-segments=${JSON.stringify(r.segments)}><button class="secondary" ?disabled=${!m || e.busy}
        @click=${() => m && void e.start(m, r.features)}>Explain: which regions moved the model</button>
        ${e.progress ? html`<progress aria-label="Explaining" max=${e.progress.total} value=${e.progress.done}></progress>
          <span role="status">Explaining: ${e.progress.done} of ${e.progress.total} forward passes</span>
          <button class="secondary" @click=${() => e.cancel()}>Cancel</button>` : ''}</p>
      ${e.message ? html`<p class="error" role="alert">${e.message}</p>` : ''}
      ${e.map ? html`<p class="muted" data-testid="explanation-time">Occlusion: ${e.map.timePatches} × ${e.map.bandPatches} patches per segment, ${e.seconds.toFixed(1)} s.</p>
        <explanation-view .map=${e.map} .segments=${e.segments} .settings=${m?.metadata.features} .audioUrl=${this.audioUrl}></explanation-view>` : ''}`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.live.stop();
    this.explanation.clear();
    if (this.audioUrl) URL.revokeObjectURL(this.audioUrl);
  }

  /** The chart's series, made once per result: a new array on every render (progress of an explanation) would redraw the chart each time. */
  private series: { of: unknown; series: LineSeries[] } | undefined;
  private seriesOf(r: Classification & { segmentSeconds: number }): LineSeries[] {
    if (this.series?.of !== r) this.series = { of: r, series: overTime(r) };
    return this.series.series;
  }

  private readonly activity = new ActivityFlag('classification');

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('busy' as keyof ClassifyPanel)) this.activity.set(!!this.busy);
    if (changed.has('chosen') && this.chosen) this.use(this.chosen.model, this.chosen.source);
  }

  protected override async updated(changed: PropertyValues): Promise<void> {
    if (!changed.has('result') || !this.result) return;
    const el = this.renderRoot.querySelector<HTMLElement>('[data-chart="clip-probabilities"]');
    if (!el) return;
    const r = this.result;
    await charts.barchart(
      el,
      topGenres(r, MAX_MATRIX_GENRES).map((k) => ({ label: r.genres[k], value: r.clip[k] })),
      { width: 460, height: 220, yLabel: 'probability' },
    );
  }

  /** Classifies with a model from elsewhere on the page (a kept run's), named by `source`. */
  use(model: TrainedModel, source: string) {
    this.loaded = { ...model, source };
    this.result = undefined;
    this.message = '';
  }

  private async onModelFiles(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    await this.job('Reading and checking the model…', 'Could not load the model', async (signal) => {
      const m = await readModelFiles(files, async (zip) => {
        const r = await runAlone({ kind: 'model-zip', id: 0, file: zip }, [], signal);
        if (!r.ok) throw new Error(r.error);
        if (r.kind !== 'model-zip') throw new Error('the zip reader answered something else');
        return r;
      });
      // Built and run once now, so a model the lab cannot use is refused here, not at the first clip.
      await askTrainer({ type: 'check', files: m.files, metadata: m.metadata, backend: 'auto' }, 'checked', signal);
      this.loaded = { ...m, source: `the model loaded from ${files.map((f) => f.name).join(', ')}` };
      this.result = undefined;
    });
  }

  private onDrop(e: DragEvent) {
    e.preventDefault();
    const file = e.dataTransfer?.files?.[0];
    if (file) void this.classify(file);
  }

  private onClip(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.classify(file);
  }

  private async classify(file: File) {
    const m = this.model;
    if (!m) {
      this.message = 'Train or load a model first.';
      return;
    }
    this.result = undefined;
    this.explanation.clear();
    if (this.audioUrl) URL.revokeObjectURL(this.audioUrl);
    this.audioUrl = URL.createObjectURL(file);
    await this.job(`Extracting features of ${file.name}…`, file.name, async (signal) => {
      const settings = m.metadata.features;
      const ext = extensionOf(file.name);
      const job = await clipRequest(file, ext, BROWSER_AUDIO.has(ext) ? 'browser' : 'native', 0, settings, { wholeSignal: true });
      const r = await runAlone(job.request, job.transfer, signal);
      if (!r.ok) throw new Error(r.error);
      if (r.kind !== 'clip') return;
      if (r.segments.length === 0) {
        throw new Error(`it is ${r.seconds.toFixed(1)} s long, shorter than one segment of ${(samplesPerSegment(settings) / settings.sampleRate).toFixed(1)} s`);
      }
      this.busy = `Classifying ${r.segments.length} segments…`;
      // The weights are copied, not transferred: the page keeps its model for the next clip.
      const e = await askTrainer({ type: 'classify', files: m.files, metadata: m.metadata, segments: r.segments, backend: 'auto' }, 'classified', signal);
      this.result = { ...e.result, file: file.name, segmentSeconds: samplesPerSegment(settings) / settings.sampleRate, features: r.segments };
    });
  }

  /** The panel's one job at a time, with a Cancel that ends its workers; errors become the message. */
  private async job(label: string, what: string, work: (signal: AbortSignal) => Promise<void>) {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.busy = label;
    this.message = '';
    try {
      await work(abort.signal);
    } catch (err) {
      if (this.abort === abort) this.message = abort.signal.aborted ? `${what}: cancelled.` : `${what}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      if (this.abort === abort) {
        this.abort = undefined;
        this.busy = '';
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'classify-panel': ClassifyPanel;
  }
}
