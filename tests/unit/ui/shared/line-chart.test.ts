import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { lineChartSpec } from '../../../../src/ui/shared/line-chart';

const rows = (names: string[]) => names.flatMap((series, k) => [0, 1, 2].map((x) => ({ series, x, y: (k + 1) * 0.1 + x * 0.05 })));

describe('the line chart\'s Vega spec', () => {
  it('fits the plot and its axes into its box when the data and the series\' names come after the first run', async () => {
    const view = new vega.View(vega.parse(lineChartSpec({ width: 420, height: 240, xLabel: 'segment', yLabel: 'probability', names: ['blues', 'rock'], colors: ['#111', '#222'] }) as never), { renderer: 'none' });
    await view.runAsync();
    view.data('points', rows(['blues', 'rock']));
    await view.runAsync();
    expect(view.height()).toBeGreaterThan(150);
    // Room on the left for the y axis's labels and title, which the first, empty run had none of.
    expect(view.origin()[0]).toBeGreaterThan(30);
    view.signal('names', ['a', 'b', 'c']).signal('colors', ['#111', '#222', '#333']).data('points', rows(['a', 'b', 'c']));
    await view.runAsync();
    expect(view.height()).toBeGreaterThan(150);
    // The y scale spans the values, so the lines are not drawn flat.
    const y = view.scale('y') as (v: number) => number;
    expect(Math.abs(y(0.1) - y(0.4))).toBeGreaterThan(50);
    view.finalize();
  });
});
