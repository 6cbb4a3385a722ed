import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { RedrawGate } from './redraw-gate';
import { charts } from './vis';

export interface LineSeries {
  name: string;
  /** x: whole numbers from 0, the place on the chart's x axis (tfjs-vis draws the n-th value at n). */
  points: { x: number; y: number }[];
  color: string;
}

/**
 * A line chart drawn by tfjs-vis (tfvis.render.linechart), redrawn at most twice a second and
 * only while on screen (RedrawGate), and, when `visorName` is set and tfjs-vis's visor is open,
 * drawn there too. `label` names it for screen readers; the caller gives the numbers as text.
 */
@customElement('vis-line-chart')
export class VisLineChart extends LitElement {
  static override styles = css`
    :host { display: inline-block; min-width: 200px; min-height: 120px; }
  `;

  @property({ attribute: false }) series: LineSeries[] = [];
  @property() label = '';
  @property() xLabel = '';
  @property() yLabel = '';
  @property({ type: Number }) width = 420;
  @property({ type: Number }) height = 240;
  /** The surface's name in the visor's tab; no visor drawing without it. */
  @property() visorName = '';
  @property() visorTab = 'Training';

  private readonly gate = new RedrawGate(() => this.draw());
  /** Draws finished, for tests and for anyone waiting on the picture. */
  draws = 0;
  /** The longest draw so far in ms, tfjs-vis's and vega's part of the page's work. */
  longestDraw = 0;

  override render() {
    return html`<div role="img" aria-label=${this.label} class="plot"></div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.gate.attach(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.gate.detach();
  }

  protected override updated(): void {
    this.gate.request();
  }

  /** Draws again now if the visor has just opened (the page's gate keeps its own pace). */
  redraw(): void {
    this.gate.request();
  }

  private async draw(): Promise<void> {
    const el = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!el) return;
    const started = performance.now();
    const series = this.series;
    const options = { width: this.width, height: this.height, xLabel: this.xLabel, yLabel: this.yLabel };
    await charts.linechart(el, series, options);
    if (this.visorName) {
      const area = await charts.visorArea(this.visorName, this.visorTab);
      if (area) await charts.linechart(area, series, { ...options, width: 360, height: 220 });
    }
    this.draws++;
    this.longestDraw = Math.max(this.longestDraw, performance.now() - started);
    this.dispatchEvent(new Event('drawn'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vis-line-chart': VisLineChart;
  }
}
