import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { lineChartData, lineChartSpec } from '../../../../src/ui/shared/line-chart';

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

  it('draws two runs named alike as two lines, a name like __proto__ as any other, and leaves out series with no points', async () => {
    const data = lineChartData([
      { name: 'lr 0.001', color: '#111', points: [{ x: 1, y: 0.5 }, { x: 2, y: 0.6 }] },
      { name: 'lr 0.001', color: '#222', points: [{ x: 1, y: 0.4 }, { x: 2, y: 0.3 }] },
      { name: '__proto__', color: '#333', points: [{ x: 1, y: 0.2 }, { x: 2, y: 0.1 }] },
      { name: 'no epochs yet', color: '#444', points: [] },
    ]);
    expect(new Set(data.names).size).toBe(3);
    expect(data.colors).toEqual(['#111', '#222', '#333']);
    const view = new vega.View(vega.parse(lineChartSpec({ width: 420, height: 240, xLabel: 'epoch', yLabel: 'loss', names: data.names, colors: data.colors }) as never), { renderer: 'none' });
    await view.runAsync();
    view.data('points', data.rows);
    await view.runAsync();
    // One line mark per series, each through its own two points.
    const scope = (view.scenegraph() as unknown as { root: SceneNode }).root.items[0].items.find((m) => m.role === 'scope')!;
    const lines = scope.items.map((g) => g.items.find((m) => m.marktype === 'line')!.items.length);
    expect(lines).toEqual([2, 2, 2]);
    expect(({} as Record<string, unknown>).num).toBeUndefined();
    view.finalize();
  });
});

interface SceneNode { marktype?: string; role?: string; items: SceneNode[] }
