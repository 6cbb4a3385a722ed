/**
 * npm run bench:explain -- <model folder or zip> <30 s clip> [--runs 3] [--backend wasm|cpu] [--batch 64]
 * Times one occlusion explanation of the whole clip (every segment, every patch, all genres at
 * once) as the page's worker runs it: features ready, forward passes only. Prints the median.
 */
import '../src/cli/quiet-tf';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { loadAudio } from '../src/dsp/load';
import { createMfcc } from '../src/dsp/mfcc-engine';
import { segmentMfccs } from '../src/dsp/segments';
import { defaultBaseline, fastestPredict, standardized } from '../src/explain/model-predict';
import { occlusionMap } from '../src/explain/occlusion';
import { numberFlag, parseArgs } from '../src/cli/args';
import { loadModel, useBackend } from '../src/cli/model-folder';

const args = parseArgs(process.argv.slice(2).filter((a) => a !== '--'), { values: ['runs', 'backend', 'batch'] });
const [modelPath, clipPath] = args.positionals;
if (!modelPath || !clipPath) {
  console.error('usage: npm run bench:explain -- <model folder or zip> <clip.wav> [--runs 3] [--backend wasm|cpu] [--batch 64]');
  process.exit(2);
}
await useBackend(String(args.flags.get('backend') ?? 'wasm'));
const { model, metadata } = await loadModel(modelPath);
const [frames, coefficients] = metadata.inputShape;
const audio = loadAudio(new Uint8Array(readFileSync(clipPath)), metadata.features.sampleRate);
const t0 = performance.now();
const segments = standardized(segmentMfccs(audio.samples, createMfcc(metadata.features), { wholeSignal: true }), metadata);
const featureSeconds = (performance.now() - t0) / 1000;
const predict = fastestPredict(model, frames, coefficients);
const opts = { baseline: defaultBaseline(metadata), batchSize: numberFlag(args, 'batch', 64) };
const warm = await occlusionMap(predict, metadata.genres, segments, frames, coefficients, opts);
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < numberFlag(args, 'runs', 3); i++) {
  const started = performance.now();
  const usage = process.cpuUsage();
  await occlusionMap(predict, metadata.genres, segments, frames, coefficients, opts);
  times.push((performance.now() - started) / 1000);
  const u = process.cpuUsage(usage);
  cpu.push((u.user + u.system) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const passes = segments.length * (1 + warm.timePatches * warm.bandPatches);
console.log(`${metadata.model.architecture} on ${frames} × ${coefficients}, ${segments.length} segments of ${audio.seconds.toFixed(1)} s, ${warm.timePatches} × ${warm.bandPatches} patches: ${passes} forward passes`);
console.log(`tfjs ${tf.getBackend()}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); features ${featureSeconds.toFixed(2)} s`);
// Wall time depends on what else runs; CPU time is what the explanation itself cost (one thread).
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; CPU time per run ${cpu.map((t) => t.toFixed(2)).join(', ')} s`);
console.log(`explanation: median ${median.toFixed(2)} s of ${times.length} runs (${times.map((t) => t.toFixed(2)).join(', ')}), ${((1000 * median) / passes).toFixed(2)} ms per forward pass`);
