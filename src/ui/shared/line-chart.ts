import { customElement, property } from 'lit/decorators.js';
import { seriesLinesMark, VegaChart, vegaFrame } from './vega-chart';
import { seriesNames, type VegaView } from './vis';

export interface LineSeries {
  name: string;
  /** x: the place on the chart's x axis (whole numbers: a segment, an epoch). */
  points: { x: number; y: number }[];
  color: string;
}

/**
 * The Vega spec of a chart of named lines with a point at each value, x in whole numbers. The
 * series' names and colours are signals, so a draw can change them with the data. They start as
 * the first draw's: a first run with no names lays the plot out too short (a height of 0 without
 * `resize`, 123 px instead of 171 with it, in Node), and later runs keep that.
 */
export function lineChartSpec(options: { width: number; height: number; xLabel: string; yLabel: string; names: string[]; colors: string[] }): object {
  return {
    ...vegaFrame(options.width, options.height),
    signals: [
      { name: 'names', value: options.names },
      { name: 'colors', value: options.colors },
    ],
    data: [{ name: 'points', values: [] }],
    scales: [
      { name: 'x', type: 'linear', domain: { data: 'points', field: 'x' }, range: 'width', nice: false, zero: false },
      { name: 'y', type: 'linear', domain: { data: 'points', field: 'y' }, range: 'height', nice: true, zero: false },
      { name: 'color', type: 'ordinal', domain: { signal: 'names' }, range: { signal: 'colors' } },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: options.xLabel, format: 'd', tickMinStep: 1, labelOverlap: true },
      { orient: 'left', scale: 'y', title: options.yLabel, grid: true, gridOpacity: 0.4, tickCount: 5 },
    ],
    legends: [{ stroke: 'color', orient: 'bottom', direction: 'horizontal', symbolType: 'stroke', labelLimit: 160, columns: 4 }],
    marks: [seriesLinesMark('points', 20)],
  };
}

/**
 * What a draw hands the view: the series with points, their names made safe and distinct (vega
 * keeps data values as keys of plain objects, and groups the lines by name: two runs named alike
 * would draw as one line), their colours, and one row per point.
 */
export function lineChartData(series: readonly LineSeries[]): { names: string[]; colors: string[]; rows: { series: string; x: number; y: number }[] } {
  const shown = series.filter((s) => s.points.length > 0);
  const names = seriesNames(shown.map((s) => s.name));
  return {
    names,
    colors: shown.map((s) => s.color),
    rows: shown.flatMap((s, i) => s.points.map((p) => ({ series: names[i], x: p.x, y: p.y }))),
  };
}

/** Named lines over whole-number x (genre probabilities per segment, a run's metric per epoch). */
@customElement('line-chart')
export class LineChart extends VegaChart {
  @property({ attribute: false }) series: LineSeries[] = [];
  @property() xLabel = '';
  @property() yLabel = '';

  protected spec(): object {
    const { names, colors } = lineChartData(this.series);
    return lineChartSpec({ width: this.width, height: this.height, xLabel: this.xLabel, yLabel: this.yLabel, names, colors });
  }

  protected hasData(): boolean {
    return this.series.some((s) => s.points.length > 0);
  }

  protected setData(view: VegaView): void {
    const { names, colors, rows } = lineChartData(this.series);
    view.signal('names', names).signal('colors', colors).data('points', rows);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'line-chart': LineChart;
  }
}
