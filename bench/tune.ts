/**
 * npm run bench:tune — what tuning should do with the cores: the same 4 trials (the recipe, 2
 * epochs each, on the timing data of self-check/timing-data.ts) one at a time on one thread, one
 * at a time with each batch shared between every core (data-parallel), and one trial per core side
 * by side; in Node (trials on worker threads) and in headless Chromium (the page's own training
 * workers). tuningPlan (src/tuning/tuning-run.ts) takes the faster way.
 */
import { availableParallelism } from 'node:os';
import { nodeTrial } from '../src/cli/node-trials';
import { timingData, timingOptions } from '../src/self-check/timing-data';
import { strategies, timeStrategy, type StrategyTiming } from '../src/self-check/trial-timing';
import { selfCheck } from './self-check';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 4);
const cores = availableParallelism();
const data = timingData();
const node: StrategyTiming[] = [];
for (const s of strategies(cores)) {
  node.push(await timeStrategy(TRIALS, s.lanes, s.threadsPerTrial, (threads) => nodeTrial(data, timingOptions(2), threads)));
  console.log(`node: ${s.lanes} at a time, ${s.threadsPerTrial} thread(s) each: ${node.at(-1)!.seconds.toFixed(1)} s`);
}
const { results, version } = await selfCheck(`tune=${TRIALS}`);
const chromium = results.tuning ?? [];

console.log(`\n${TRIALS} tuning trials (the recipe, 2 epochs on ${data.labels.length} segments), ${cores} cores, ${new Date().toISOString().slice(0, 10)}`);
console.log('where                  trials at once  threads each   seconds  trials/hour  × one at a time, 1 thread');
for (const [where, rows] of [[`Node ${process.version}`, node], [`Chromium ${version}`, chromium]] as const) {
  for (const r of rows) {
    console.log(`${where.padEnd(22)} ${String(r.lanes).padStart(14)} ${String(r.threadsPerTrial).padStart(13)} ${r.seconds.toFixed(1).padStart(9)} ${(3600 * r.trials / r.seconds).toFixed(0).padStart(12)} ${(rows[0].seconds / r.seconds).toFixed(2).padStart(10)}×`);
  }
}
process.exit(0);
