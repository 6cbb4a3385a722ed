import { describe, expect, it } from 'vitest';
import { BayesianOptimizer } from '../../../src/tuning/bayes-opt';
import { seededRandom } from '../../../src/model/data/random';
import { encode, pointAt, spaceSize, tuningSpace, type Point } from '../../../src/tuning/search-space';
import { runTuning, tuningPlan, type TrialOutcome, type TrialStart } from '../../../src/tuning/tuning-run';

/** A trial's length in turns of the microtask queue: the order trials end in is the same on every machine. */
const tick = async (turns: number) => {
  for (let i = 0; i < turns * 10; i++) await null;
};

describe('the tuning plan', () => {
  it('runs one trial per core side by side, fewer when there are fewer trials, and gives left-over cores to the trials', () => {
    expect(tuningPlan(2, 10, 68e6)).toEqual({ lanes: 2, threadsPerTrial: 1 });
    expect(tuningPlan(8, 3, 68e6)).toEqual({ lanes: 3, threadsPerTrial: 2 });
    expect(tuningPlan(1, 10, 68e6)).toEqual({ lanes: 1, threadsPerTrial: 1 });
    expect(tuningPlan(4, 1, 68e6)).toEqual({ lanes: 1, threadsPerTrial: 4 });
  });

  it('holds as many side-by-side copies of the features as fit in 2 GiB (each trial keeps two)', () => {
    // GTZAN as 128-band log-mel: ~665 MB a copy, so one trial at a time, on every core.
    expect(tuningPlan(4, 10, 665e6)).toEqual({ lanes: 1, threadsPerTrial: 4 });
    // Two copies of 500 MB fit, not three.
    expect(tuningPlan(4, 10, 500e6)).toEqual({ lanes: 2, threadsPerTrial: 2 });
  });
});

describe('trials side by side', () => {
  const space = tuningSpace({ tuneBatchSize: true });
  const objective = (p: Point) => {
    const x = encode(space, p).slice(space.length);
    const peak = [0.3, 0.6, 0, 0.4, 0.5, 0.33];
    return 0.9 - x.reduce((s, v, i) => s + (v - peak[i]) ** 2 * [1.5, 1, 0, 0.8, 2, 0.5][i], 0);
  };

  it('keeps `lanes` trials running at once and starts the next as each ends, every trial a new point', async () => {
    const optimizer = new BayesianOptimizer(space, { seed: 3 });
    let running = 0;
    let most = 0;
    const seen = new Set<string>();
    const durations = [30, 5, 20, 5, 10, 25, 5, 15, 5];
    await runTuning(optimizer, 9, 3, {
      runTrial: async (t: TrialStart) => {
        running++;
        most = Math.max(most, running);
        seen.add(t.point.join(','));
        await tick(durations[t.n - 1]);
        running--;
        return { status: 'done', valAccuracy: objective(t.point) };
      },
    });
    expect(most).toBe(3);
    expect(seen.size).toBe(9);
    expect(optimizer.observations).toHaveLength(9);
  });

  it('with 2 side by side still beats random search on most seeds, at the same number of trials', async () => {
    // One at a time wins on 17 of these 20 seeds, two side by side on 14: each suggestion knows
    // less, but two trials take the time of one.
    let wins = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const optimizer = new BayesianOptimizer(space, { seed });
      await runTuning(optimizer, 15, 2, {
        runTrial: async (t) => {
          await tick(1 + (t.n % 3));
          return { status: 'done', valAccuracy: objective(t.point) };
        },
      });
      const r = seededRandom(seed * 31 + 7);
      let random = -Infinity;
      for (let i = 0; i < 15; i++) random = Math.max(random, objective(pointAt(space, Math.floor(r() * spaceSize(space)))));
      if (optimizer.best()!.value > random) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(12);
  });

  it('a failed trial starts no new ones (the running ones end), a stopped one scores nothing, and Stop starts nothing more', async () => {
    const optimizer = new BayesianOptimizer(space, { seed: 5 });
    const finished: [number, TrialOutcome['status']][] = [];
    await runTuning(optimizer, 10, 2, {
      runTrial: async (t) => {
        await tick(t.n === 2 ? 5 : 20);
        return t.n === 2 ? { status: 'failed' } : { status: 'done', valAccuracy: 0.5 };
      },
      onFinish: (t, o) => finished.push([t.n, o.status]),
    });
    // Trial 2 fails first; trial 1 was running and ends; nothing after.
    expect(finished).toEqual([[2, 'failed'], [1, 'done']]);
    expect(optimizer.observations).toHaveLength(1);

    let stop = false;
    let started = 0;
    const stopped = new BayesianOptimizer(space, { seed: 6 });
    await runTuning(stopped, 10, 2, {
      runTrial: async (t) => {
        started++;
        await tick(5);
        if (t.n === 3) stop = true;
        return t.n === 3 ? { status: 'stopped' } : { status: 'done', valAccuracy: 0.4 };
      },
      shouldStop: () => stop,
    });
    expect(started).toBe(4);
    expect(stopped.observations.map((o) => o.value)).toEqual([0.4, 0.4, 0.4]);
  });
});

describe('a search continued after a reload', () => {
  const space = tuningSpace({});

  it('numbers its trials after the kept ones, never suggests a kept point again, and runs only the trials left', async () => {
    const first = new BayesianOptimizer(space, { seed: 5 });
    const kept: { point: Point; value?: number }[] = [];
    await runTuning(first, 4, 1, {
      runTrial: async (t) => {
        kept.push({ point: t.point, value: t.n === 2 ? undefined : 0.5 + t.n / 10 });
        return t.n === 2 ? { status: 'stopped' } : { status: 'done', valAccuracy: 0.5 + t.n / 10, seconds: 1 };
      },
    });
    const again = new BayesianOptimizer(space, { seed: 5 });
    again.restore(kept);
    expect(again.observations).toHaveLength(3);
    expect(again.best()?.value).toBeCloseTo(0.9);
    const numbers: number[] = [];
    const keys = new Set(kept.map((k) => k.point.join(',')));
    await runTuning(again, 6, 2, {
      runTrial: async (t) => {
        numbers.push(t.n);
        expect(keys.has(t.point.join(',')), `trial ${t.n} repeats a kept point`).toBe(false);
        keys.add(t.point.join(','));
        await tick(1);
        return { status: 'done', valAccuracy: 0.1, seconds: 1 };
      },
    }, 5);
    expect(numbers.sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10]);
  });
});
