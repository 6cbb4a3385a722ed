import { describe, expect, it } from 'vitest';
import { BayesianOptimizer } from '../../../src/model/bayes-opt';
import { expectedImprovement, GaussianProcess } from '../../../src/model/gaussian-process';
import { seededRandom } from '../../../src/model/random';
import { encode, pointAt, recipeSpace, spaceSize, type Point, type TuningParams } from '../../../src/model/search-space';

const space = recipeSpace(true);

/** A smooth objective with its peak inside the space, like validation accuracy over settings. */
function objective(p: Point): number {
  const x = encode(space, p);
  const peak = [0.3, 0.6, 0.4, 0.5, 0.33];
  return 0.9 - x.reduce((s, v, i) => s + (v - peak[i]) ** 2 * [1.5, 1, 0.8, 2, 0.5][i], 0);
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
    for (const p of params) {
      expect(space.lstmUnits).toContain(p.lstmUnits);
      expect(space.denseUnits).toContain(p.denseUnits);
      expect(space.dropout).toContain(p.dropout);
      expect(space.learningRate).toContain(p.learningRate);
      expect(space.batchSize).toContain(p.batchSize);
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
    const s = recipeSpace();
    expect(s.lstmUnits).toHaveLength(16);
    expect(s.lstmUnits[15]).toBe(512);
    expect(s.dropout).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(s.learningRate).toEqual([1e-2, 1e-3, 1e-4]);
    expect(s.batchSize).toEqual([32]);
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
    const s = recipeSpace(false, 100);
    expect(s.lstmUnits).toEqual([32, 64, 96]);
    expect(s.denseUnits).toEqual([32, 64, 96]);
    expect(recipeSpace(false, 10).lstmUnits).toEqual([32]);
  });
});
