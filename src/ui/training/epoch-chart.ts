import { customElement, property } from 'lit/decorators.js';
import { seriesLinesMark, VegaChart, vegaFrame, XY } from '../shared/vega-chart';
import { charts, type VegaView } from '../shared/vis';
import { KEPT_COLOR, SERIES, TRAIN_EPOCH, VALIDATION, type EpochCurves } from './curve-grid';

/**
 * The Vega spec of the live curves: x in epochs (ticks at 1…lastEpoch, a signal), the pale batch
 * line under the per-epoch training and validation lines, and the kept epoch as a dashed vertical
 * rule with its label. Its three datasets are named so a draw can replace them in place. The
 * marks are hidden from assistive technology (aria: false): the element is one image with a
 * label, and the numbers are given as text beside it.
 */
export function epochChartSpec(options: { width: number; height: number; yLabel: string }): object {
  return {
    ...vegaFrame(options.width, options.height),
    signals: [{ name: 'lastEpoch', value: 1 }],
    data: [
      { name: 'batches', values: [] },
      { name: 'epochs', values: [] },
      { name: 'kept', values: [] },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: { signal: '[0, lastEpoch]' }, range: 'width', nice: false, zero: false },
      {
        name: 'y',
        type: 'linear',
        domain: {
          fields: [
            { data: 'batches', field: 'y' },
            { data: 'epochs', field: 'y' },
          ],
        },
        range: 'height',
        nice: true,
        zero: false,
      },
      { name: 'color', type: 'ordinal', domain: SERIES.map((s) => s.name), range: SERIES.map((s) => s.color) },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'epoch', values: { signal: 'sequence(1, lastEpoch + 1)' }, format: 'd', labelOverlap: true },
      { orient: 'left', scale: 'y', title: options.yLabel, grid: true, gridOpacity: 0.4, tickCount: 5 },
    ],
    legends: [{ stroke: 'color', orient: 'bottom', direction: 'horizontal', symbolType: 'stroke', labelLimit: 160 }],
    marks: [
      {
        type: 'line',
        name: 'batch-line',
        aria: false,
        from: { data: 'batches' },
        encode: { update: { ...XY, stroke: { value: SERIES[2].color }, strokeWidth: { value: 1 } } },
      },
      seriesLinesMark('epochs', 24),
      {
        type: 'rule',
        name: 'kept-rule',
        aria: false,
        from: { data: 'kept' },
        encode: {
          update: {
            x: { scale: 'x', field: 'x' },
            y: { value: 0 },
            y2: { signal: 'height' },
            stroke: { value: KEPT_COLOR },
            strokeWidth: { value: 1.5 },
            strokeDash: { value: [4, 3] },
          },
        },
      },
      {
        type: 'text',
        name: 'kept-label',
        aria: false,
        from: { data: 'kept' },
        encode: {
          update: {
            x: { scale: 'x', field: 'x' },
            y: { value: 2 },
            dx: { value: 3 },
            baseline: { value: 'top' },
            text: { field: 'label' },
            fill: { value: KEPT_COLOR },
            fontSize: { value: 11 },
          },
        },
      },
    ],
  };
}

/**
 * The live loss or accuracy curves, x in epochs. Each draw replaces the view's three datasets and
 * its lastEpoch signal. With the visor open the per-epoch lines are drawn there too by tfjs-vis.
 */
@customElement('epoch-chart')
export class EpochChart extends VegaChart {
  @property({ attribute: false }) curves: EpochCurves = { batches: [], epochs: [], kept: [], lastEpoch: 1 };
  @property() yLabel = '';
  /** The surface's name in the visor's tab; no visor drawing without it. */
  @property() visorName = '';
  @property() visorTab = 'Training';

  /** The rows of one of the view's datasets ('batches', 'epochs', 'kept') as drawn; for tests. */
  drawnData(name: 'batches' | 'epochs' | 'kept'): unknown[] {
    return this.view ? (this.view.data(name) as unknown[]) : [];
  }

  protected spec(): object {
    return epochChartSpec({ width: this.width, height: this.height, yLabel: this.yLabel });
  }

  protected hasData(): boolean {
    return this.curves.batches.length > 0 || this.curves.epochs.length > 0;
  }

  protected setData(view: VegaView): void {
    const c = this.curves;
    view.data('batches', c.batches.map((p) => ({ ...p })))
      .data('epochs', c.epochs.map((p) => ({ ...p })))
      .data('kept', c.kept.map((p) => ({ ...p })))
      .signal('lastEpoch', c.lastEpoch);
  }

  /** tfjs-vis in its visor: the per-epoch lines only (it places the n-th value at x = n, n = epoch). */
  protected override async afterDraw(): Promise<void> {
    if (!this.visorName) return;
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
