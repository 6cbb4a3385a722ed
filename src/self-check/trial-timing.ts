/**
 * How long `trials` equal tuning trials take, `lanes` at a time: the measure behind tuningPlan's
 * choice of trials side by side over one trial at a time with its batches shared between cores.
 * The same in Node (bench:tune, trials on worker threads) and in the page (self-check.html?tune).
 */
export interface StrategyTiming {
  lanes: number;
  threadsPerTrial: number;
  trials: number;
  seconds: number;
}

export async function timeStrategy(
  trials: number,
  lanes: number,
  threadsPerTrial: number,
  runTrial: (threads: number) => Promise<unknown>,
): Promise<StrategyTiming> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < trials) {
        next++;
        await runTrial(threadsPerTrial);
      }
    }),
  );
  return { lanes, threadsPerTrial, trials, seconds: (performance.now() - started) / 1000 };
}

/** The strategies compared on `cores` cores: one trial at a time on one thread, one at a time on every core, one per core side by side. */
export function strategies(cores: number): { lanes: number; threadsPerTrial: number }[] {
  const all = [{ lanes: 1, threadsPerTrial: 1 }, { lanes: 1, threadsPerTrial: cores }, { lanes: cores, threadsPerTrial: 1 }];
  return all.filter((s, i) => all.findIndex((t) => t.lanes === s.lanes && t.threadsPerTrial === s.threadsPerTrial) === i);
}
