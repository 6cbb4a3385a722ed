import { LitElement, css, html, type PropertyValues } from 'lit';
import { paintMatrix } from './heat-map';
import { customElement, property, state } from 'lit/decorators.js';
import { featureTypeOf, type FeatureSettings } from '../../dsp/settings';
import { genreMap, predictedGenre, type OcclusionMap } from '../../explain/occlusion';
import { placedRegions, strongestRegions, type PlacedRegion } from '../../explain/regions';
import { panelStyles } from './styles';

/** Grey for the features, so the marked regions in colour stand out: dark low, light high. */
function drawFeatures(ctx: CanvasRenderingContext2D, m: Float32Array, frames: number, rows: number): void {
  paintMatrix(ctx, m, frames, rows, (x) => {
    const g = Math.round(40 + 180 * x);
    return [g, g, g];
  });
}

/** Orange over the patches that moved the model toward the genre, as opaque as their share of the largest drop. */
function drawWeights(ctx: CanvasRenderingContext2D, m: OcclusionMap, w: Float32Array, scale: number): void {
  for (let p = 0; p < w.length; p++) {
    if (!(w[p] > 0)) continue;
    const tp = Math.floor(p / m.bandPatches);
    const bp = p % m.bandPatches;
    const f0 = tp * m.patchFrames;
    const b0 = bp * m.patchBands;
    const width = Math.min(m.frames, f0 + m.patchFrames) - f0;
    const height = Math.min(m.coefficients, b0 + m.patchBands) - b0;
    ctx.fillStyle = `rgba(255, 120, 0, ${(0.85 * Math.min(1, w[p] / scale)).toFixed(3)})`;
    ctx.fillRect(f0, m.coefficients - b0 - height, width, height);
  }
}

const secs = (r: PlacedRegion) => `${r.start.toFixed(1)}–${r.end.toFixed(1)} s`;
const where = (r: PlacedRegion) => (r.hz ? `${Math.round(r.hz[0])}–${Math.round(r.hz[1])} Hz` : `coefficients ${r.rows[0]}–${r.rows[1]}`);

/**
 * An occlusion map drawn over the clip's own features: one heat map per segment (the model's
 * log-mel or MFCCs, time across, band up) with the regions that moved the model toward the chosen
 * genre in orange. Clicking a region, or one of the strongest regions listed, plays that part of
 * the clip when its audio is at hand.
 */
@customElement('explanation-view')
export class ExplanationView extends LitElement {
  static override styles = [panelStyles, css`
    .maps { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    figure { margin: 0; width: 162px; }
    figcaption { font-size: 0.8rem; color: #3d4752; }
    canvas { width: 160px; height: 96px; image-rendering: pixelated; border: 1px solid #d5dbe1; cursor: pointer; }
  `];

  @property({ attribute: false }) map: OcclusionMap | undefined;
  /** The segments as extracted (the model's features before standardisation), drawn under the map. */
  @property({ attribute: false }) segments: Float32Array[] = [];
  @property({ attribute: false }) settings: FeatureSettings | undefined;
  /** The clip's audio, to play a region; none: the regions are shown but not played. */
  @property({ attribute: false }) audioUrl: string | undefined;
  @state() private genre = -1;
  private player: HTMLAudioElement | undefined;
  private stopAt = Infinity;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('map')) this.genre = this.map ? predictedGenre(this.map) : -1;
    if (changed.has('audioUrl')) {
      this.player?.pause();
      this.player = undefined;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.player?.pause();
  }

  override render() {
    const m = this.map;
    const s = this.settings;
    if (!m || !s || this.genre < 0) return html``;
    const top = strongestRegions(m, s, this.genre, 5);
    const kind = featureTypeOf(s) === 'logmel' ? 'log-mel spectrogram' : 'MFCCs';
    return html`<section data-testid="explanation" aria-label="Explanation">
      <p class="row"><label>Explain the genre <select aria-label="Explain the genre"
        @change=${(e: Event) => { this.genre = Number((e.target as HTMLSelectElement).value); }}>
        ${m.genres.map((g, k) => html`<option value=${k} ?selected=${k === this.genre}>${g}${k === predictedGenre(m) ? ' (predicted)' : ''}</option>`)}
      </select></label></p>
      <p class="muted">In orange: the regions whose removal (replaced by ${m.baseline === 'training-mean' ? "the training set's mean" : "the segment's mean"}) lowered
        the probability of <strong>${m.genres[this.genre]}</strong> the most: what the model relied on for it. Each segment's ${kind}, time across, ${featureTypeOf(s) === 'logmel' ? 'low to high frequency' : 'coefficient'} up.
        ${this.audioUrl ? 'Click a region to hear it.' : ''}</p>
      <ol data-testid="explanation-regions">${top.map((r) => html`<li data-start=${r.start} data-end=${r.end} data-weight=${r.weight}>
        ${this.audioUrl ? html`<button class="secondary" @click=${() => this.play(r.start, r.end)}>Play ${secs(r)}</button>` : secs(r)}
        ${where(r)}: −${(100 * r.weight).toFixed(1)} points</li>`)}</ol>
      <div class="maps">${m.base.map((p, i) => html`<figure data-segment=${i}>
        <canvas width=${m.frames} height=${m.coefficients} role="img" @click=${(e: MouseEvent) => this.onClick(e, i)}
          aria-label="Segment ${i + 1}: ${kind} with the regions that moved the model toward ${m.genres[this.genre]}"></canvas>
        <figcaption>Segment ${i + 1}: ${m.genres[this.genre]} ${(100 * p[this.genre]).toFixed(0)} %</figcaption></figure>`)}</div>
    </section>`;
  }

  protected override updated(): void {
    const m = this.map;
    if (!m || this.genre < 0) return;
    const weights = m.base.map((_, i) => genreMap(m, i, this.genre));
    // One scale for the whole clip, so a faint segment looks faint.
    const scale = Math.max(1e-6, ...weights.map((w) => Math.max(...w)));
    m.base.forEach((_, i) => {
      const ctx = this.renderRoot.querySelector<HTMLCanvasElement>(`figure[data-segment="${i}"] canvas`)?.getContext('2d');
      if (!ctx) return;
      const seg = this.segments[i];
      if (seg) drawFeatures(ctx, seg, m.frames, m.coefficients);
      drawWeights(ctx, m, weights[i], scale);
    });
  }

  /** The patch under the pointer, played. */
  private onClick(e: MouseEvent, segment: number) {
    const m = this.map;
    const s = this.settings;
    const canvas = e.currentTarget as HTMLCanvasElement;
    if (!m || !s) return;
    const frame = Math.floor((e.offsetX / canvas.clientWidth) * m.frames);
    const row = m.coefficients - 1 - Math.floor((e.offsetY / canvas.clientHeight) * m.coefficients);
    const p = Math.floor(frame / m.patchFrames) * m.bandPatches + Math.floor(Math.max(0, row) / m.patchBands);
    const r = placedRegions(m, s, segment, this.genre)[p];
    if (r) this.play(r.start, r.end);
  }

  /** Plays [start, end) seconds of the clip, and says so to the page (tests listen for it). */
  play(start: number, end: number) {
    this.dispatchEvent(new CustomEvent('play-region', { detail: { start, end }, bubbles: true, composed: true }));
    if (!this.audioUrl) return;
    if (!this.player) {
      this.player = new Audio(this.audioUrl);
      this.player.addEventListener('timeupdate', () => {
        if (this.player && this.player.currentTime >= this.stopAt) this.player.pause();
      });
    }
    // A region is a third of a second: it is heard with a little of what surrounds it.
    this.stopAt = end + 0.3;
    this.player.currentTime = Math.max(0, start - 0.3);
    void this.player.play().catch(() => undefined);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'explanation-view': ExplanationView;
  }
}
