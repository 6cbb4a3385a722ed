import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** Distinct colours for series and genres, shared by every chart and strip of the page. */
export const SERIES_COLORS = ['#1d3557', '#e07a00', '#2a9d8f', '#a4161a', '#6a4c93', '#8a5300', '#457b9d', '#bc4749', '#3a5a40', '#b5179e'];

export interface LineSeries {
  name: string;
  points: { x: number; y: number }[];
  color: string;
  /** Drawn thin and pale under the others (e.g. per-batch values under per-epoch ones). */
  faint?: boolean;
}

/** Round steps for axis ticks: 1, 2 or 5 times a power of ten. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4))));

/**
 * A line chart on a canvas: axes with labelled ticks, one line per series, a legend. Small and
 * fast (no vega), so curves update live and many runs can be overlaid. The caller gives the
 * numbers as text beside it; `label` names the chart for screen readers.
 */
@customElement('line-chart')
export class LineChart extends LitElement {
  static override styles = css`
    :host { display: inline-block; }
    canvas { display: block; }
    ul { list-style: none; margin: 0.25rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.9rem; font-size: 0.85rem; }
    li span { display: inline-block; width: 1.2rem; height: 0.2rem; vertical-align: middle; margin-right: 0.3rem; }
  `;

  @property({ attribute: false }) series: LineSeries[] = [];
  @property() label = '';
  @property() xLabel = '';
  @property() yLabel = '';
  @property({ type: Number }) width = 460;
  @property({ type: Number }) height = 260;

  override render() {
    return html`<canvas role="img" aria-label=${this.label} width=${this.width} height=${this.height}></canvas>
      <ul aria-hidden="true">${this.series.filter((s) => s.points.length).map((s) => html`<li><span style="background:${s.color};opacity:${s.faint ? 0.45 : 1}"></span>${s.name}</li>`)}</ul>`;
  }

  private frame = 0;

  /**
   * One draw per animation frame however often the numbers change: a small model trains dozens of
   * epochs a second, and a draw for each flooded a software GPU until the page stopped answering.
   */
  protected override updated(_changed: PropertyValues<this>): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const { width, height } = this;
    ctx.clearRect(0, 0, width, height);
    const all = this.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    const pad = { left: 52, right: 12, top: 10, bottom: 38 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    let [x0, x1] = all.length ? [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))] : [0, 1];
    let [y0, y1] = all.length ? [Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))] : [0, 1];
    if (x1 === x0) [x0, x1] = [x0 - 0.5, x1 + 0.5];
    if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
    const margin = (y1 - y0) * 0.05;
    y0 -= margin;
    y1 += margin;
    const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * plotW;
    const sy = (y: number) => pad.top + (1 - (y - y0) / (y1 - y0)) * plotH;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#3d4752';
    ctx.strokeStyle = '#d5dbe1';
    ctx.lineWidth = 1;
    for (const t of ticks(y0, y1)) {
      ctx.beginPath();
      ctx.moveTo(pad.left, sy(t));
      ctx.lineTo(width - pad.right, sy(t));
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText(label(t), pad.left - 6, sy(t) + 4);
    }
    for (const t of ticks(x0, x1, 6)) {
      ctx.textAlign = 'center';
      ctx.fillText(label(t), sx(t), height - pad.bottom + 14);
    }
    ctx.strokeStyle = '#56616d';
    ctx.strokeRect(pad.left, pad.top, plotW, plotH);
    ctx.textAlign = 'center';
    ctx.fillText(this.xLabel, pad.left + plotW / 2, height - 6);
    ctx.save();
    ctx.translate(12, pad.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(this.yLabel, 0, 0);
    ctx.restore();
    for (const s of [...this.series].sort((a, b) => Number(!!b.faint) - Number(!!a.faint))) {
      const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
      if (!pts.length) continue;
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.globalAlpha = s.faint ? 0.45 : 1;
      ctx.lineWidth = s.faint ? 1 : 2;
      ctx.beginPath();
      pts.forEach((p, i) => (i ? ctx.lineTo(sx(p.x), sy(p.y)) : ctx.moveTo(sx(p.x), sy(p.y))));
      ctx.stroke();
      if (!s.faint) for (const p of pts) ctx.fillRect(sx(p.x) - 2, sy(p.y) - 2, 4, 4);
      ctx.globalAlpha = 1;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'line-chart': LineChart;
  }
}
