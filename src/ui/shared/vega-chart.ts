import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { RedrawGate } from './redraw-gate';
import { embedVega, type VegaView } from './vis';

/** A row's x and y fields on the scales named x and y. */
export const XY = { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'y' } };

/**
 * How every chart's spec starts: its size, fitted again on every run (the first has no data, so
 * no tick labels or legend to make room for).
 */
export function vegaFrame(width: number, height: number): object {
  return {
    $schema: 'https://vega.github.io/schema/vega/v5.json',
    width,
    height,
    padding: 4,
    autosize: { type: 'fit', contains: 'padding', resize: true },
  };
}

/**
 * A line with a point at each value for every series of the dataset `data` (rows of series, x
 * and y), coloured by the scale named color; hidden from assistive technology like every mark.
 */
export function seriesLinesMark(data: string, symbolSize: number): object {
  return {
    type: 'group',
    aria: false,
    from: { facet: { name: 'series', data, groupby: 'series' } },
    marks: [
      {
        type: 'line',
        aria: false,
        from: { data: 'series' },
        encode: { update: { ...XY, stroke: { scale: 'color', field: 'series' }, strokeWidth: { value: 2 } } },
      },
      {
        type: 'symbol',
        aria: false,
        from: { data: 'series' },
        encode: { update: { ...XY, fill: { scale: 'color', field: 'series' }, size: { value: symbolSize } } },
      },
    ],
  };
}

/**
 * A chart drawn by one Vega view: embedded on the first draw (parse, view and first run in
 * separate tasks), then each draw hands the view new data and signals and reruns it, with no
 * parse and no new scenegraph. Draws come at most twice a second and only on screen
 * (RedrawGate). The element is one image with a label; the caller gives the numbers as text.
 * A subclass says what the spec is, whether there is anything to draw, and how its data goes in.
 */
export abstract class VegaChart extends LitElement {
  static override styles = css`
    :host { display: inline-block; min-width: 200px; min-height: 120px; }
  `;

  @property() label = '';
  @property({ type: Number }) width = 420;
  @property({ type: Number }) height = 240;

  private readonly gate = new RedrawGate(() => this.draw());
  protected view: VegaView | undefined;
  /** Draws finished, for tests and for anyone waiting on the picture. */
  draws = 0;
  /** The longest draw in ms from start to end (the first spans several tasks), and the latest data update alone. */
  longestDraw = 0;
  lastDraw = 0;

  /** The Vega spec, built once per element. */
  protected abstract spec(): object;
  /** Whether there is anything to draw yet. */
  protected abstract hasData(): boolean;
  /** Puts the current data and signals into the view (fresh rows each time: vega marks the objects it ingests). */
  protected abstract setData(view: VegaView): void;
  /** Anything drawn after the view, such as tfjs-vis's visor. */
  protected async afterDraw(): Promise<void> {}

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

  /** Draws again as soon as the gate allows (the visor has just opened, say). */
  redraw(): void {
    this.gate.request();
  }

  private async draw(): Promise<void> {
    const el = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!el || !this.hasData()) return;
    const started = performance.now();
    if (!this.view) {
      this.view = await embedVega(el, this.spec());
      // The first data in a task of its own, after the embedding's.
      await new Promise<void>((resolve) => { setTimeout(resolve, 0); });
    }
    const set = performance.now();
    this.setData(this.view);
    await this.view.runAsync();
    this.lastDraw = performance.now() - set;
    this.longestDraw = Math.max(this.longestDraw, performance.now() - started);
    await this.afterDraw();
    this.draws++;
    this.dispatchEvent(new Event('drawn'));
  }
}
