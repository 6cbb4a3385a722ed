/** tfjs-vis loads on first use: it brings vega and TensorFlow.js, which the first page view does not need. */
type TfVis = typeof import('@tensorflow/tfjs-vis');
let loading: Promise<TfVis> | undefined;

export function loadVis(): Promise<TfVis> {
  loading ??= import('@tensorflow/tfjs-vis');
  return loading;
}

/**
 * vega-embed, the library tfjs-vis draws every chart with, for the one chart tfjs-vis cannot draw
 * as the lab needs: a confusion matrix whose legend says what it counts (tfjs-vis titles it with
 * its internal field name, scaleCount).
 */
async function embed(el: HTMLElement, spec: object, renderer: 'canvas' | 'svg' = 'canvas'): Promise<void> {
  const { default: vegaEmbed } = await import('vega-embed');
  await vegaEmbed(el, spec as never, { actions: false, mode: 'vega-lite', defaultStyle: false, renderer });
}

export type VegaView = import('vega-embed').Result['view'];

const nextTask = () => new Promise<void>((resolve) => { setTimeout(resolve, 0); });

/**
 * A Vega (not Vega-Lite) spec drawn into `el` as SVG, its view returned so that a chart can change
 * its data and signals and rerun the view instead of parsing and embedding again on each draw.
 * Parsing, building the view and its first run are separate tasks, so the page's thread is never
 * held for all three at once.
 */
export async function embedVega(el: HTMLElement, spec: object): Promise<VegaView> {
  const vega = await import('vega');
  const runtime = vega.parse(spec as never);
  await nextTask();
  const view = new vega.View(runtime, { renderer: 'svg', container: el, hover: false });
  await nextTask();
  await view.runAsync();
  return view as unknown as VegaView;
}

/**
 * tfjs-vis's visor. Its panel is appended to the body, outside the page's landmarks, so it is
 * made one (a complementary region with a name): screen-reader users can find it, and no content
 * of the page sits outside a landmark (axe's "region").
 */
export async function visor(): Promise<ReturnType<TfVis['visor']>> {
  const v = (await loadVis()).visor();
  const panel = document.getElementById('tfjs-visor-container');
  if (panel && !panel.hasAttribute('role')) {
    panel.setAttribute('role', 'complementary');
    panel.setAttribute('aria-label', 'tfjs-vis visor');
  }
  return v;
}

/** U+2060 WORD JOINER: invisible, and never part of a name that Object.prototype has. */
const JOINER = '\u2060';

/**
 * A name as a chart may hold it. vega (inside tfjs-vis) keeps data values as keys of plain
 * objects, so a genre called "__proto__" set Object.prototype.num to NaN and broke every later
 * chart in the tab, and "constructor" read as a cell that already existed (vega#3695).
 * Such names get an invisible joiner: they look the same and collide with nothing. A name that
 * already ends in one gets another, so two names never become one.
 */
export function chartLabel(name: string): string {
  return name in Object.prototype || name.endsWith(JOINER) ? name + JOINER : name;
}

/**
 * A series name as tfjs-vis's line chart may hold it: it makes each name a vega field, and a
 * field's dots, brackets and backslashes are paths into nested objects (a run named "lr 0.001"
 * drew nothing: vega looked for field "001" inside "lr 0"). They become look-alikes.
 */
export function fieldLabel(name: string): string {
  return chartLabel(name).replace(/\./g, '\u2024').replace(/\[/g, '\uff3b').replace(/\]/g, '\uff3d').replace(/\\/g, '\u29f5');
}

/**
 * The series' names as tfjs-vis may hold them: field-safe, and no two alike (it keys each series
 * by its name, so two runs named the same drew as one line): a repeat gets " (2)", " (3)", ….
 */
export function seriesNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = fieldLabel(n);
    for (let k = 2; seen.has(name); k++) name = fieldLabel(`${n} (${k})`);
    seen.add(name);
    return name;
  });
}

/**
 * Series of points at whole x (0, 1, 2, …) as equally long arrays, index = x. Between two of a
 * series' points y is interpolated on the straight line joining them (vega draws no line across
 * a missing value, so epochs at every third place would show as nothing); before its first and
 * after its last point y is null, left out of the line. NaN and infinities are not points.
 */
export function dense(series: readonly { points: readonly { x: number; y: number }[] }[]): { x: number; y: number | null }[][] {
  const n = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.x))) + 1;
  return series.map((s) => {
    const row: { x: number; y: number | null }[] = Array.from({ length: n }, (_, x) => ({ x, y: null }));
    const pts = s.points.filter((p) => Number.isInteger(p.x) && p.x >= 0 && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    pts.forEach((p, i) => {
      row[p.x].y = p.y;
      const q = pts[i + 1];
      for (let x = p.x + 1; q && x < q.x; x++) row[x].y = p.y + ((q.y - p.y) * (x - p.x)) / (q.x - p.x);
    });
    return row;
  });
}

/**
 * Every chart the lab draws goes through these, so no name reaches vega unchanged: genres in the
 * confusion matrix and bar charts, runs in the curves' legends.
 */
export const charts = {
  /** Rows are the true genres, columns the predicted; the colour legend is titled by `counting` ("test segments"). */
  async confusionMatrix(el: HTMLElement, values: number[][], labels: readonly string[], options: { width: number; height: number; counting?: string }): Promise<void> {
    const names = labels.map(chartLabel);
    const cells = values.flatMap((row, i) => row.map((count, j) => ({ label: names[i], prediction: names[j], count })));
    await embed(el, {
      width: options.width, height: options.height, padding: 0, autosize: { type: 'fit', contains: 'padding', resize: true },
      data: { values: cells },
      mark: { type: 'rect', tooltip: true },
      encoding: {
        x: { field: 'prediction', type: 'ordinal', title: 'predicted genre', scale: { domain: names } },
        y: { field: 'label', type: 'ordinal', title: 'true genre', scale: { domain: names } },
        color: { field: 'count', type: 'quantitative', title: options.counting ?? 'test segments', scale: { scheme: 'blues' } },
      },
    // SVG: its words (axis titles, legend) stay text in the page, which a browser test can read.
    }, 'svg');
  },

  async barchart(el: HTMLElement, bars: readonly { label: string; value: number }[], options: { width: number; height: number; yLabel: string }): Promise<void> {
    const vis = await loadVis();
    await vis.render.barchart(el, bars.map((b) => ({ index: chartLabel(b.label), value: b.value })) as never, options);
  },

  /**
   * Lines (tfvis.render.linechart). tfjs-vis 1.5 places the n-th value of every series at x = n
   * and reads as many values from each as the first has, so the points' x must be whole indices:
   * each series is laid on one grid (dense), empty places left out of its line.
   */
  async linechart(el: HTMLElement, series: readonly { name: string; points: { x: number; y: number }[]; color: string }[], options: { width: number; height: number; xLabel: string; yLabel: string }): Promise<void> {
    const vis = await loadVis();
    const shown = series.filter((s) => s.points.length);
    if (!shown.length) return;
    const names = seriesNames(shown.map((s) => s.name));
    // vega orders a colour scale's names ascending, whatever order the series come in.
    const colorOf = new Map(names.map((n, i) => [n, shown[i].color]));
    await vis.render.linechart(el, { values: dense(shown) as { x: number; y: number }[][], series: names },
      { ...options, zoomToFit: true, seriesColors: [...names].sort().map((n) => colorOf.get(n)!) });
  },

  /** A drawing area in tfjs-vis's visor (the slide-out panel of TensorFlow.js tutorials), when it is open. */
  async visorArea(name: string, tab: string): Promise<HTMLElement | undefined> {
    const v = await visor();
    return v.isOpen() ? v.surface({ name, tab }).drawArea : undefined;
  },

  async scatterplot(el: HTMLElement, series: readonly { name: string; points: { x: number; y: number }[] }[], options: { width: number; height: number; xLabel: string; yLabel: string }): Promise<void> {
    const vis = await loadVis();
    await vis.render.scatterplot(el, { values: series.map((s) => s.points), series: series.map((s) => chartLabel(s.name)) }, { ...options, zoomToFit: true });
  },
};
