import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { RedrawGate } from '../shared/redraw-gate';
import { charts, embedVega, type VegaView } from '../shared/vis';
import { KEPT_COLOR, SERIES, TRAIN_EPOCH, VALIDATION, type EpochCurves } from './curve-grid';

/**
 * The Vega spec of the live curves: x in epochs (ticks at 1…lastEpoch, a signal), the pale batch
 * line under the per-epoch training and validation lines, and the kept epoch as a dashed vertical
 * rule with its label. Its three datasets are named so a draw can replace them in place. The
 * marks are hidden from assistive technology (aria: false): the element is one image with a
 * label, and the numbers are given as text beside it.
 */
export function epochChartSpec(options: { width: number; height: number; yLabel: string }): object {
  const xy = { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'y' } };
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width: options.width, height: options.height, padding: 4,
    autosize: { type: 'fit', contains: 'padding' },
    signals: [{ name: 'lastEpoch', value: 1 }],
    data: [{ name: 'batches', values: [] }, { name: 'epochs', values: [] }, { name: 'kept', values: [] }],
    scales: [
      { name: 'x', type: 'linear', domain: { signal: '[0, lastEpoch]' }, range: 'width', nice: false, zero: false },
      { name: 'y', type: 'linear', domain: { fields: [{ data: 'batches', field: 'y' }, { data: 'epochs', field: 'y' }] }, range: 'height', nice: true, zero: false },
      { name: 'color', type: 'ordinal', domain: SERIES.map((s) => s.name), range: SERIES.map((s) => s.color) },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'epoch', values: { signal: 'sequence(1, lastEpoch + 1)' }, format: 'd', labelOverlap: true },
      { orient: 'left', scale: 'y', title: options.yLabel, grid: true, gridOpacity: 0.4, tickCount: 5 },
    ],
    legends: [{ stroke: 'color', orient: 'bottom', direction: 'horizontal', symbolType: 'stroke', labelLimit: 160 }],
    marks: [
      { type: 'line', name: 'batch-line', aria: false, from: { data: 'batches' }, encode: { update: { ...xy, stroke: { value: SERIES[2].color }, strokeWidth: { value: 1 } } } },
      {
        type: 'group', aria: false, from: { facet: { name: 'series', data: 'epochs', groupby: 'series' } },
        marks: [
          { type: 'line', aria: false, from: { data: 'series' }, encode: { update: { ...xy, stroke: { scale: 'color', field: 'series' }, strokeWidth: { value: 2 } } } },
          { type: 'symbol', aria: false, from: { data: 'series' }, encode: { update: { ...xy, fill: { scale: 'color', field: 'series' }, size: { value: 24 } } } },
        ],
      },
      {
        type: 'rule', name: 'kept-rule', aria: false, from: { data: 'kept' },
        encode: { update: { x: { scale: 'x', field: 'x' }, y: { value: 0 }, y2: { signal: 'height' }, stroke: { value: KEPT_COLOR }, strokeWidth: { value: 1.5 }, strokeDash: { value: [4, 3] } } },
      },
      {
        type: 'text', name: 'kept-label', aria: false, from: { data: 'kept' },
        encode: { update: { x: { scale: 'x', field: 'x' }, y: { value: 2 }, dx: { value: 3 }, baseline: { value: 'top' }, text: { field: 'label' }, fill: { value: KEPT_COLOR }, fontSize: { value: 11 } } },
      },
    ],
  };
}

/**
 * The live loss or accuracy curves, x in epochs. Embedded once; each later draw replaces the
 * view's three datasets and its lastEpoch signal and reruns it (no parse, no new scenegraph),
 * at most twice a second and only on screen (RedrawGate). With the visor open the per-epoch lines
 * are drawn there too by tfjs-vis.
 */
@customElement('epoch-chart')
export class EpochChart extends LitElement {
  static override styles = css`
    :host { display: inline-block; min-width: 200px; min-height: 120px; }
  `;

  @property({ attribute: false }) curves: EpochCurves = { batches: [], epochs: [], kept: [], lastEpoch: 1 };
  @property() label = '';
  @property() yLabel = '';
  @property({ type: Number }) width = 420;
  @property({ type: Number }) height = 240;
  /** The surface's name in the visor's tab; no visor drawing without it. */
  @property() visorName = '';
  @property() visorTab = 'Training';

  private readonly gate = new RedrawGate(() => this.draw());
  private view: VegaView | undefined;
  /** Draws finished, for tests and for anyone waiting on the picture. */
  draws = 0;
  /** The longest draw in ms from start to end (the first spans several tasks), and the latest data update alone. */
  longestDraw = 0;
  lastDraw = 0;

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
    this.view?.finalize();
    this.view = undefined;
  }

  protected override updated(): void {
    this.gate.request();
  }

  redraw(): void {
    this.gate.request();
  }

  /** The rows of one of the view's datasets ('batches', 'epochs', 'kept') as drawn; for tests. */
  drawnData(name: 'batches' | 'epochs' | 'kept'): unknown[] {
    return this.view ? (this.view.data(name) as unknown[]) : [];
  }

  private async draw(): Promise<void> {
    const el = this.renderRoot.querySelector<HTMLElement>('.plot');
    const c = this.curves;
    if (!el || (!c.batches.length && !c.epochs.length)) return;
    const started = performance.now();
    if (!this.view) {
      this.view = await embedVega(el, epochChartSpec({ width: this.width, height: this.height, yLabel: this.yLabel }));
      // The first data in a task of its own, after the embedding's.
      await new Promise<void>((resolve) => { setTimeout(resolve, 0); });
    }
    const set = performance.now();
    // Fresh rows each time: vega marks the objects it ingests.
    this.view.data('batches', c.batches.map((p) => ({ ...p })))
      .data('epochs', c.epochs.map((p) => ({ ...p })))
      .data('kept', c.kept.map((p) => ({ ...p })))
      .signal('lastEpoch', c.lastEpoch);
    await this.view.runAsync();
    this.lastDraw = performance.now() - set;
    this.longestDraw = Math.max(this.longestDraw, performance.now() - started);
    if (this.visorName) await this.drawVisor();
    this.draws++;
    this.dispatchEvent(new Event('drawn'));
  }

  /** tfjs-vis in its visor: the per-epoch lines only (it places the n-th value at x = n, n = epoch). */
  private async drawVisor(): Promise<void> {
    const area = await charts.visorArea(this.visorName, this.visorTab);
    if (!area) return;
    const line = (name: string, color: string) => ({ name, color, points: this.curves.epochs.filter((p) => p.series === name).map(({ x, y }) => ({ x, y })) });
    await charts.linechart(area, [line(TRAIN_EPOCH, SERIES[0].color), line(VALIDATION, SERIES[1].color)],
      { width: 360, height: 220, xLabel: 'epoch', yLabel: this.yLabel });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'epoch-chart': EpochChart;
  }
}
