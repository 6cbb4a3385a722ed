/** tfjs-vis loads on first use: it brings vega and TensorFlow.js, which the first page view does not need. */
type TfVis = typeof import('@tensorflow/tfjs-vis');
let loading: Promise<TfVis> | undefined;

export function loadVis(): Promise<TfVis> {
  loading ??= import('@tensorflow/tfjs-vis');
  return loading;
}

/** U+2060 WORD JOINER: invisible, and never part of a name that Object.prototype has. */
const JOINER = '\u2060';

/**
 * A name as a chart may hold it. vega (inside tfjs-vis) keeps data values as keys of plain
 * objects, so a genre called "__proto__" set Object.prototype.num to NaN and broke every later
 * chart in the tab, and "constructor" read as a cell that already existed (vega#3695, N2/N3).
 * Such names get an invisible joiner: they look the same and collide with nothing. A name that
 * already ends in one gets another, so two names never become one.
 */
export function chartLabel(name: string): string {
  return name in Object.prototype || name.endsWith(JOINER) ? name + JOINER : name;
}

/**
 * Every chart the lab draws goes through these, so no name reaches vega unchanged: genres in the
 * confusion matrix and bar charts, runs in the curves' legends.
 */
export const charts = {
  async confusionMatrix(el: HTMLElement, values: number[][], labels: readonly string[], options: { width: number; height: number }): Promise<void> {
    const vis = await loadVis();
    await vis.render.confusionMatrix(el, { values, tickLabels: labels.map(chartLabel) }, { ...options, shadeDiagonal: true });
  },

  async barchart(el: HTMLElement, bars: readonly { label: string; value: number }[], options: { width: number; height: number; yLabel: string }): Promise<void> {
    const vis = await loadVis();
    await vis.render.barchart(el, bars.map((b) => ({ index: chartLabel(b.label), value: b.value })) as never, options);
  },

  async scatterplot(el: HTMLElement, series: readonly { name: string; points: { x: number; y: number }[] }[], options: { width: number; height: number; xLabel: string; yLabel: string }): Promise<void> {
    const vis = await loadVis();
    await vis.render.scatterplot(el, { values: series.map((s) => s.points), series: series.map((s) => chartLabel(s.name)) }, { ...options, zoomToFit: true });
  },
};
