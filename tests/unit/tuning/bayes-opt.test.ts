import { describe, expect, it } from 'vitest';
import { BayesianOptimizer } from '../../../src/tuning/bayes-opt';
import { expectedImprovement, GaussianProcess } from '../../../src/tuning/gaussian-process';
import { seededRandom } from '../../../src/model/data/random';
import { encode, paramsToPoint, pointAt, pointToParams, spaceSize, tuningSpace, type Point, type SearchSpace, type TuningParams } from '../../../src/tuning/search-space';

const space = tuningSpace({ tuneBatchSize: true });

/** A smooth objective with its peak inside the space, like validation accuracy over settings. */
function objective(p: Point): number {
  // After the architecture's one-hot: LSTM units, dense units, filters (one value here), dropout, rate, batch.
  const x = encode(space, p).slice(space.length);
  const peak = [0.3, 0.6, 0, 0.4, 0.5, 0.33];
  return 0.9 - x.reduce((s, v, i) => s + (v - peak[i]) ** 2 * [1.5, 1, 0, 0.8, 2, 0.5][i], 0);
}

function randomSearch(budget: number, seed: number): number {
  const r = seededRandom(seed * 31 + 7);
  let best = -Infinity;
  for (let i = 0; i < budget; i++) best = Math.max(best, objective(pointAt(space, Math.floor(r() * spaceSize(space)))));
  return best;
}

function bayes(budget: number, seed: number): { best: number; params: TuningParams[] } {
  const opt = new BayesianOptimizer(space, { seed });
  const params: TuningParams[] = [];
  for (let i = 0; i < budget; i++) {
    const s = opt.suggest();
    params.push(s.params);
    opt.observe(s.point, objective(s.point));
  }
  return { best: opt.best()!.value, params };
}

describe('Bayesian optimisation', () => {
  it('beats random search with the same budget on most seeds', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    let wins = 0;
    for (const seed of seeds) if (bayes(15, seed).best > randomSearch(15, seed)) wins++;
    expect(wins).toBeGreaterThanOrEqual(6);
  });

  it('never proposes values outside the space, nor the same point twice', () => {
    const { params } = bayes(25, 11);
    const seen = new Set<string>();
    const c = space[0].choices;
    for (const p of params) {
      expect(p.model).toBe('lstm');
      expect(c.lstmUnits).toContain(p.lstmUnits);
      expect(c.denseUnits).toContain(p.denseUnits);
      expect(c.dropout).toContain(p.dropout);
      expect(c.learningRate).toContain(p.learningRate);
      expect(c.batchSize).toContain(p.batchSize);
      expect(p.lstmUnits % 32).toBe(0);
      const key = JSON.stringify(p);
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('is reproducible from its seed', () => {
    expect(bayes(8, 3).params).toEqual(bayes(8, 3).params);
  });

  it('the recipe\'s space: units 32–512 step 32, dropout 0–0.5 step 0.1, three learning rates', () => {
    const s = tuningSpace()[0].choices;
    expect(s.lstmUnits).toHaveLength(16);
    expect(s.lstmUnits[15]).toBe(512);
    expect(s.dropout).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(s.learningRate).toEqual([1e-2, 1e-3, 1e-4]);
    expect(s.batchSize).toEqual([32]);
  });
});

describe('tuning over architectures', () => {
  const mixed: SearchSpace = tuningSpace({ models: ['lstm', 'cnn', 'conv1d'] });
  /** The 2-D CNN is best here, at 32 filters and a rate of 10⁻³; the others top out lower. */
  const score = (p: TuningParams) => {
    const base = { lstm: 0.55, cnn: 0.8, conv1d: 0.65 }[p.model];
    return base - 0.1 * Math.abs(Math.log2(p.filters / 32)) - 0.1 * Math.abs(Math.log10(p.learningRate / 1e-3)) - 0.2 * Math.abs(p.dropout - 0.3);
  };

  it('gives each architecture its own space, and its points only the settings it uses', () => {
    expect(mixed.map((a) => a.model)).toEqual(['lstm', 'cnn', 'conv1d']);
    // LSTM 16 × 16 × 6 × 3; 2-D CNN filters 4 × 6 × 3; 1-D CNN filters 4 × dense 16 × 6 × 3.
    expect(spaceSize(mixed)).toBe(4608 + 72 + 1152);
    const cnn = mixed[1].choices;
    expect(cnn.filters).toEqual([8, 16, 32, 64]);
    expect(cnn.lstmUnits).toHaveLength(1);
    expect(cnn.denseUnits).toHaveLength(1);
    for (let n = 0; n < spaceSize(mixed); n += 97) {
      const p = pointToParams(mixed, pointAt(mixed, n));
      expect(paramsToPoint(mixed, p)).toEqual(pointAt(mixed, n));
    }
    expect(() => paramsToPoint(tuningSpace(), { ...pointToParams(mixed, pointAt(mixed, 4650)) })).toThrow(/cnn is not in the search space/);
    expect(() => tuningSpace({ models: [] })).toThrow(/at least one model/);
  });

  it('tries every architecture first, and finds the best one far more often than random search', () => {
    let found = 0;
    let foundByChance = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const opt = new BayesianOptimizer(mixed, { seed });
      const first = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const s = opt.suggest();
        if (i < 3) first.add(s.params.model);
        opt.observe(s.point, score(s.params));
      }
      expect(first.size).toBe(3);
      if (opt.best()!.params.model === 'cnn') found++;
      const r = seededRandom(seed * 31 + 7);
      let best: TuningParams | undefined;
      for (let i = 0; i < 12; i++) {
        const p = pointToParams(mixed, pointAt(mixed, Math.floor(r() * spaceSize(mixed))));
        if (!best || score(p) > score(best)) best = p;
      }
      if (best!.model === 'cnn') foundByChance++;
    }
    expect(found).toBeGreaterThanOrEqual(7);
    expect(found).toBeGreaterThan(foundByChance + 3);
  });
});

describe('Gaussian process', () => {
  it('interpolates what it has seen and is unsure far from it', () => {
    const gp = new GaussianProcess();
    gp.fit([[0], [0.5], [1]], [1, 2, 3]);
    const { mean, std } = gp.predict([[0.5], [0.25], [3]]);
    expect(mean[0]).toBeCloseTo(2, 2);
    expect(std[0]).toBeLessThan(0.05);
    expect(std[2]).toBeGreaterThan(std[1]);
    expect(expectedImprovement(2, 0, 1)).toBeCloseTo(0.99, 6);
    expect(expectedImprovement(0, 1, 1)).toBeGreaterThan(0);
  });
});

describe('a capped space', () => {
  it('stops the unit counts at the cap, in steps of 32', () => {
    const s = tuningSpace({ maxUnits: 100 })[0].choices;
    expect(s.lstmUnits).toEqual([32, 64, 96]);
    expect(s.denseUnits).toEqual([32, 64, 96]);
    expect(tuningSpace({ maxUnits: 10 })[0].choices.lstmUnits).toEqual([32]);
  });
});
