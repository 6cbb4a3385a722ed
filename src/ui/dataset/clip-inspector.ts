import { LitElement, css, html, type PropertyValues } from 'lit';
import { paintMatrix } from '../shared/heat-map';
import { customElement, property, state } from 'lit/decorators.js';
import { coefficientsPerFrame, featureTypeOf, type FeatureSettings } from '../../dsp/settings';
import type { ClipInspection } from '../../features/inspect-clip';
import { NATIVE_AUDIO, extensionOf } from '../../dataset/scan';
import { readAudio } from '../../features/clip-request';
import { decodeWithBrowser } from '../../features/browser-decode';
import { mimeOfExtension, playableCopy, playableFromChannels } from '../../features/playable-audio';
import { runAlone } from '../../features/pool';
import { panelStyles } from '../shared/styles';
import '../shared/explanation-view';
import { ExplanationRun } from '../../app/explanation-run';
import { askExplainer } from '../shared/explainer-client';
import { StoreWatch } from '../shared/store-watch';
import type { ModelFiles } from '../../saving/artifacts';
import type { ModelMetadata } from '../../saving/metadata';
import type { InspectedClip } from '../../app/dataset-session';

/** The clip to inspect: its file when the dropped folder is at hand, its features always. */
export type { InspectedClip } from '../../app/dataset-session';

/** A dark-to-bright colour scale (a short viridis), for heat maps. */
const SCALE = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (SCALE.length - 1);
  const i = Math.min(SCALE.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(SCALE[i][c] + f * (SCALE[i + 1][c] - SCALE[i][c]))) as [number, number, number];
}

/** Draws a frames × rows matrix (row-major by frame) with time left to right and row 0 at the bottom. */
function heatMap(canvas: HTMLCanvasElement, m: Float32Array, frames: number, rows: number): void {
  const ctx = canvas.getContext('2d');
  if (ctx) paintMatrix(ctx, m, frames, rows, colour);
}

/**
 * One clip, looked at and listened to: the browser's own audio player on the dropped file (or on
 * the lab's own decoding of it where the browser cannot play the file, as with GTZAN's .au), the
 * waveform with the segment boundaries, and each segment's log-mel spectrogram and MFCC matrix as
 * heat maps (time in seconds across; mel band or coefficient up). Computed in a worker; a
 * sentence and a table per segment say in words what the pictures show.
 */
@customElement('clip-inspector')
export class ClipInspector extends LitElement {
  static override styles = [panelStyles, css`
    .maps { display: flex; flex-wrap: wrap; gap: 0.75rem; }
    figure { margin: 0; }
    .maps figure { width: 197px; display: flex; flex-direction: column; gap: 3px; }
    figcaption { font-size: 0.8rem; color: #3d4752; }
    canvas.map { width: 195px; image-rendering: pixelated; border: 1px solid #d5dbe1; }
    canvas.wave { width: 600px; max-width: 100%; height: 80px; border: 1px solid #d5dbe1; }
  `];

  @property({ attribute: false }) clip: InspectedClip | undefined;
  @property({ attribute: false }) settings: FeatureSettings | undefined;
  /** The page's model (just trained or restored), to explain this clip with. */
  @property({ attribute: false }) model: { files: ModelFiles; metadata: ModelMetadata } | undefined;
  private readonly explanation = new ExplanationRun(askExplainer);
  @state() private view: ClipInspection | undefined;
  @state() private message = '';
  @state() private busy = false;
  /** What the player plays: the dropped file, or the lab's own decoding of it where the browser cannot play the file. */
  @state() private url: string | undefined;
  /** Said beside the player when it plays the lab's decoding; or why nothing can play the clip. */
  @state() private playNote = '';
  @state() private playProblem = '';
  /** The clip whose file the player was given as it is (a failure then falls back to the decoding). */
  private rawFor: InspectedClip | undefined;
  /** The clip whose Play request was carried out, so a redraw does not restart it. */
  private played: InspectedClip | undefined;
  private abort: AbortController | undefined;

  constructor() {
    super();
    new StoreWatch(this, () => this.explanation);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.explanation.clear();
    if (this.url) URL.revokeObjectURL(this.url);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('clip')) return;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
    this.rawFor = undefined;
    this.playNote = '';
    this.playProblem = '';
    const clip = this.clip;
    if (clip?.file) {
      const extension = extensionOf(clip.path);
      const mime = mimeOfExtension(extension);
      if (mime && document.createElement('audio').canPlayType(mime) === '') {
        void this.playDecoded(clip, `this browser cannot play .${extension} files`);
      } else {
        this.rawFor = clip;
        this.url = URL.createObjectURL(clip.file);
      }
    }
    this.view = undefined;
    this.message = '';
    this.explanation.clear();
    void this.inspect();
    if (clip?.explain) void this.explain();
  }

  /** Plays the lab's own decoding of the clip (the WAV/AU decoder, or the browser's decoder for other formats). */
  private async playDecoded(clip: InspectedClip, why: string) {
    const file = clip.file;
    if (!file) return;
    const extension = extensionOf(clip.path);
    let made: { wav: Blob; note: string } | { problem: string };
    if (NATIVE_AUDIO.has(extension)) {
      made = await playableCopy(file);
    } else {
      try {
        const d = await decodeWithBrowser(file, extension);
        made = { wav: playableFromChannels(d.channels, d.sampleRate), note: `the browser's decoding of this ${d.encoding} file, mono at ${d.sampleRate} Hz` };
      } catch (e) {
        made = { problem: e instanceof Error ? e.message : String(e) };
      }
    }
    if (clip !== this.clip) return;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
    if ('wav' in made) {
      this.url = URL.createObjectURL(made.wav);
      this.playNote = `Playing ${made.note}: ${why}.`;
    } else {
      this.playProblem = `This clip cannot be played here: ${why}, and decoding it failed (${made.problem}).`;
    }
  }

  /** The player could not play the file as it is: play the lab's decoding of it instead. */
  private onAudioError() {
    const clip = this.clip;
    if (!clip || this.rawFor !== clip) return;
    this.rawFor = undefined;
    void this.playDecoded(clip, 'this browser could not play the file as it is');
  }

  private async inspect() {
    const clip = this.clip;
    const settings = this.settings;
    this.abort?.abort();
    if (!clip?.file || !settings) return;
    const abort = new AbortController();
    this.abort = abort;
    this.busy = true;
    try {
      const extension = extensionOf(clip.path);
      const { audio, transfer } = await readAudio(clip.file, extension, NATIVE_AUDIO.has(extension) ? 'native' : 'browser');
      if (clip !== this.clip) return;
      const r = await runAlone({ kind: 'inspect', id: 0, audio, settings }, transfer, abort.signal);
      if (clip !== this.clip) return;
      if (!r.ok) this.message = `${clip.path}: ${r.error}`;
      else if (r.kind === 'inspect') this.view = r;
    } catch (e) {
      if (!abort.signal.aborted) this.message = `${clip.path}: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      if (clip === this.clip) this.busy = false;
    }
  }

  override render() {
    const clip = this.clip;
    if (!clip) return html``;
    const v = this.view;
    const s = this.settings;
    return html`<section data-testid="inspector" aria-label="Clip inspector">
      <h3>${clip.path} <button class="secondary" @click=${() => this.dispatchEvent(new CustomEvent('close'))}>Close</button></h3>
      ${this.url ? html`<audio controls preload="metadata" src=${this.url} data-testid="inspector-audio"
        aria-label="Play ${clip.path}" @error=${this.onAudioError}></audio>`
        : clip.file ? '' : html`<p class="muted">The audio is not at hand (these features come from the browser's cache or a data.json): choose the dataset folder to hear it. Its MFCCs are below.</p>`}
      ${this.playNote ? html`<p class="muted" data-testid="inspector-play-note">${this.playNote}</p>` : ''}
      ${this.playProblem ? html`<p class="warning" role="status" data-testid="inspector-play-problem">${this.playProblem}</p>` : ''}
      ${this.busy ? html`<p role="status">Computing the waveform and spectrograms…</p>` : ''}
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
      ${v ? html`
        <p data-testid="inspector-summary">${v.seconds.toFixed(1)} s of audio; the recipe uses the first ${v.shownSeconds.toFixed(1)} s, cut into
          ${v.segments.length} segments of ${v.segmentSeconds.toFixed(1)} s (${v.frames} frames each): ${v.nMels} mel bands, ${v.nMfcc} MFCCs.</p>
        <figure><canvas class="wave" width="600" height="80" role="img"
          aria-label="Waveform of the first ${v.shownSeconds.toFixed(1)} s, with the ${v.segments.length} segment boundaries"></canvas>
          <figcaption>Waveform, 0–${v.shownSeconds.toFixed(1)} s; vertical lines: segment boundaries</figcaption></figure>
        <p class="muted">Each segment: its log-mel spectrogram (mel band 1–${v.nMels} upwards) above its MFCCs (coefficient 1–${v.nMfcc}
          upwards); time runs across, in seconds.</p>
        <div class="maps">${v.segments.map((seg, i) => html`<figure data-segment=${i}>
          <canvas class="map" data-map="logmel" width=${v.frames} height=${v.nMels} style="height:${Math.min(2 * v.nMels, 160)}px" role="img"
            aria-label="Log-mel spectrogram of segment ${i + 1}, ${seg.start.toFixed(1)}–${(seg.start + v.segmentSeconds).toFixed(1)} s"></canvas>
          <canvas class="map" data-map="mfcc" width=${v.frames} height=${v.nMfcc} style="height:${4 * v.nMfcc}px" role="img"
            aria-label="MFCCs of segment ${i + 1}, ${seg.start.toFixed(1)}–${(seg.start + v.segmentSeconds).toFixed(1)} s"></canvas>
          <figcaption>Segment ${i + 1}: ${seg.start.toFixed(1)}–${(seg.start + v.segmentSeconds).toFixed(1)} s</figcaption>
        </figure>`)}</div>
        <details><summary>The segments in numbers</summary>${this.table(v)}</details>`
        : !clip.file && s ? this.mfccOnly(clip, s) : ''}
      ${this.renderExplanation(clip)}
    </section>`;
  }

/** Why the model can explain this clip's stored features, or undefined when it can. */
  private explainProblem(clip: InspectedClip): string | undefined {
    const m = this.model;
    if (!m) return 'Train a model (or restore the kept one) to see which regions of this clip it relies on.';
    const [frames, coefficients] = m.metadata.inputShape;
    if (clip.segments.length === 0) return 'This clip has no stored features to explain.';
    if (clip.segments[0].length !== frames * coefficients) return `The model takes segments of ${frames} × ${coefficients}; this dataset's features are another shape.`;
    return undefined;
  }

  private explain() {
    const clip = this.clip;
    if (clip && this.model && !this.explainProblem(clip)) void this.explanation.start(this.model, clip.segments);
  }

  private renderExplanation(clip: InspectedClip) {
    const e = this.explanation;
    const problem = this.explainProblem(clip);
    return html`<h4>Which regions the model relies on</h4>
      ${problem ? html`<p class="muted">${problem}</p>` : html`<p class="row">
        <button class="secondary" ?disabled=${e.busy} @click=${() => this.explain()}>Explain with the model</button>
        ${e.progress ? html`<progress aria-label="Explaining" max=${e.progress.total} value=${e.progress.done}></progress>
          <span role="status">Explaining: ${e.progress.done} of ${e.progress.total} forward passes</span>
          <button class="secondary" @click=${() => e.cancel()}>Cancel</button>` : ''}</p>`}
      ${e.message ? html`<p class="error" role="alert">${e.message}</p>` : ''}
      ${e.map ? html`<explanation-view .map=${e.map} .segments=${e.segments}
        .settings=${this.model?.metadata.features} .audioUrl=${this.url}></explanation-view>` : ''}`;
  }

  private table(v: ClipInspection) {
    const stats = (m: Float32Array) => [Math.min(...m), Math.max(...m)];
    return html`<table data-testid="inspector-table"><thead><tr><th scope="col">Segment</th><th scope="col" class="num">Log-mel min … max (dB)</th>
      <th scope="col" class="num">Mean MFCC 1</th></tr></thead><tbody>${v.segments.map((seg, i) => {
        const [lo, hi] = stats(seg.logMel);
        let mean = 0;
        for (let t = 0; t < v.frames; t++) mean += seg.mfcc[t * v.nMfcc];
        return html`<tr><td>${i + 1} (${seg.start.toFixed(1)} s)</td><td class="num">${lo.toFixed(1)} … ${hi.toFixed(1)}</td><td class="num">${(mean / v.frames).toFixed(1)}</td></tr>`;
      })}</tbody></table>`;
  }

  /** The stored features alone (restored or imported, no audio): MFCCs or log-mel, as extracted. */
  private mfccOnly(clip: InspectedClip, s: FeatureSettings) {
    const n = coefficientsPerFrame(s);
    const frames = clip.segments[0] ? clip.segments[0].length / n : 0;
    const what = featureTypeOf(s) === 'logmel' ? ['log-mel', 'mel band'] : ['MFCCs', 'coefficient'];
    return html`<div class="maps">${clip.segments.map((_, i) => html`<figure data-segment=${i}>
      <canvas class="map" data-map="mfcc" width=${frames} height=${n}
        style="height:${Math.min(4 * n, 160)}px" role="img" aria-label="${what[0]} of segment ${i + 1}"></canvas>
      <figcaption>Segment ${i + 1}: time across, ${what[1]} 1–${n} up</figcaption></figure>`)}</div>`;
  }

  protected override updated(): void {
    const clip = this.clip;
    const audio = this.renderRoot.querySelector('audio');
    if (clip?.play && this.played !== clip && audio) {
      this.played = clip;
      // A refusal (autoplay policy) leaves the player's own Play button, which is on screen.
      void audio.play().catch(() => undefined);
    }
    const v = this.view;
    if (v) {
      v.segments.forEach((seg, i) => {
        const fig = this.renderRoot.querySelector(`figure[data-segment="${i}"]`);
        heatMap(fig!.querySelector<HTMLCanvasElement>('[data-map="logmel"]')!, seg.logMel, v.frames, v.nMels);
        heatMap(fig!.querySelector<HTMLCanvasElement>('[data-map="mfcc"]')!, seg.mfcc, v.frames, v.nMfcc);
      });
      this.drawWave(v);
    } else if (this.clip && !this.clip.file && this.settings) {
      const n = coefficientsPerFrame(this.settings);
      this.clip.segments.forEach((seg, i) => {
        const c = this.renderRoot.querySelector<HTMLCanvasElement>(`figure[data-segment="${i}"] [data-map="mfcc"]`);
        if (c) heatMap(c, seg, seg.length / n, n);
      });
    }
  }

  private drawWave(v: ClipInspection) {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.wave');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const { width, height } = canvas;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#1d3557';
    const cols = v.peaks.length / 2;
    for (let c = 0; c < cols; c++) {
      const x = (c / cols) * width;
      const top = (1 - v.peaks[2 * c + 1]) * (height / 2);
      const bottom = (1 - v.peaks[2 * c]) * (height / 2);
      ctx.fillRect(x, top, Math.max(1, width / cols), Math.max(1, bottom - top));
    }
    ctx.strokeStyle = '#e07a00';
    for (const seg of v.segments) {
      const x = (seg.start / v.shownSeconds) * width;
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
      ctx.stroke();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clip-inspector': ClipInspector;
  }
}
