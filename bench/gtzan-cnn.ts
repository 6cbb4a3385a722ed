/**
 * npm run bench:gtzan — a run the size of full GTZAN's fault-filtered split in the lab's best
 * model, in the page as a person would run it: the 2-D CNN (16 filters) on [130, 64] log-mel,
 * 4 430 training and 400 validation segments (generated: speed does not depend on the values),
 * 30 epochs (BENCH_EPOCHS), every core, the page's own training worker in headless Chromium,
 * on WASM or on BENCH_BACKEND (webgpu, webgl, auto: with GTZAN_CHROMIUM_GPU=vulkan on a GPU).
 */
import { availableParallelism } from 'node:os';
import { selfCheck } from './self-check';

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 30);
const BACKEND = process.env.BENCH_BACKEND ?? 'wasm';
const { results, version } = await selfCheck(`gtzan=${EPOCHS}&backend=${encodeURIComponent(BACKEND)}`);
const r = results.run!;
const train = r.epochs.reduce((s, e) => s + e.train, 0);
const validation = r.epochs.reduce((s, e) => s + e.validation, 0);
console.log(`2-D CNN on [130, 64], ${r.trainSegments} training and ${r.validationSegments} validation segments, ${r.epochs.length} epochs, `
  + `${BACKEND}, ${r.threads} threads (${availableParallelism()} cores), Chromium ${version}, ${new Date().toISOString().slice(0, 10)}:`);
console.log(`  ${(r.seconds / 60).toFixed(1)} min in all: ${(train / 60).toFixed(1)} min training, ${(validation / 60).toFixed(1)} min validation; `
  + `an epoch ${(train / r.epochs.length).toFixed(1)} s + ${(validation / r.epochs.length).toFixed(1)} s`);
process.exit(0);
