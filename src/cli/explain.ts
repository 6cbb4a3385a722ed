/**
 * npm run explain -- <model folder or zip> <audio file> [--genre G] [--out map.json | map.png]
 * npm run explain -- <model folder or zip> --check <data.json> [--fraction 0.1]
 * Occlusion maps of a clip (which time-frequency regions moved the model toward a genre), or the
 * deletion check on the model's own test clips; the same src/explain code as the page.
 */
import { printable } from './terminal';
import * as tf from '@tensorflow/tfjs';
import './quiet-tf';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { createMfcc } from '../dsp/mfcc-engine';
import { loadAudio } from '../dsp/load';
import { segmentMfccs } from '../dsp/segments';
import { readDataJson } from '../dataset/data-json-stream';
import type { ModelMetadata } from '../saving/metadata';
import { deletionCheck, testSplitSegments } from '../explain/deletion-check';
import { heatMapImage } from '../explain/heat-map-image';
import { defaultBaseline, fastestPredict, standardized } from '../explain/model-predict';
import { encodePng } from '../explain/png';
import { occlusionMap, predictedGenre } from '../explain/occlusion';
import { placedRegions, segmentStart, strongestRegions } from '../explain/regions';
import { numberFlag, parseArgs } from './args';
import { loadModel, useBackend } from './model-folder';

const USAGE = `usage: npm run explain -- <model folder or zip> <audio file (WAV or AU)> [--genre G] [--out map.json | map.png]
       npm run explain -- <model folder or zip> --check <data.json> [--fraction 0.1]   (the deletion check on the model's test clips)
  [--patch-frames N] [--patch-bands N] [--backend wasm|cpu]`;

/**
 * The map of one clip: as JSON (the grid, each segment's probabilities, and every genre's weights
 * per patch), or for an --out ending in .png as a picture of the genre's map with its five
 * strongest regions outlined.
 */
async function explainClip(model: tf.LayersModel, metadata: ModelMetadata, audioPath: string, args: ReturnType<typeof parseArgs>): Promise<number> {
  const audio = loadAudio(new Uint8Array(readFileSync(audioPath)), metadata.features.sampleRate);
  const segments = segmentMfccs(audio.samples, createMfcc(metadata.features), { wholeSignal: true });
  if (segments.length === 0) throw new Error(`${audioPath} is shorter than one segment`);
  const [frames, coefficients] = metadata.inputShape;
  const started = performance.now();
  const m = await occlusionMap(fastestPredict(model, frames, coefficients), metadata.genres, standardized(segments, metadata), frames, coefficients, {
    patchFrames: args.flags.has('patch-frames') ? numberFlag(args, 'patch-frames', 10) : undefined,
    patchBands: args.flags.has('patch-bands') ? numberFlag(args, 'patch-bands', 8) : undefined,
    baseline: defaultBaseline(metadata),
  });
  const seconds = (performance.now() - started) / 1000;
  const named = args.flags.get('genre');
  const genre = typeof named === 'string' ? metadata.genres.indexOf(named) : predictedGenre(m);
  if (genre < 0) throw new Error(`--genre ${named} is not one of the model's genres: ${metadata.genres.join(', ')}`);
  const out = args.flags.get('out');
  if (typeof out === 'string' && /\.png$/i.test(out)) {
    const image = heatMapImage(m, genre, strongestRegions(m, metadata.features, genre, 5));
    writeFileSync(out, encodePng(image.width, image.height, image.pixels, (raw) => deflateSync(raw)));
  } else if (typeof out === 'string') {
    writeFileSync(out, JSON.stringify({
      format: 'gtzan-lab-explanation', method: 'occlusion', baseline: m.baseline, genres: m.genres,
      predicted: m.genres[predictedGenre(m)], genre: m.genres[genre],
      frames, coefficients, featureType: metadata.features.featureType ?? 'mfcc',
      patchFrames: m.patchFrames, patchBands: m.patchBands, timePatches: m.timePatches, bandPatches: m.bandPatches,
      segments: m.base.map((p, s) => ({
        start: segmentStart(s, metadata.features), probabilities: p,
        // weights[genre][timePatch][bandPatch]: the probability lost when that patch is occluded.
        weights: m.genres.map((_, k) => Array.from({ length: m.timePatches }, (_, t) =>
          placedRegions(m, metadata.features, s, k).slice(t * m.bandPatches, (t + 1) * m.bandPatches).map((r) => +r.weight.toFixed(5)))),
      })),
    }));
  }
  console.log(
    `${printable(audioPath)}: ${segments.length} segments, ${m.timePatches} × ${m.bandPatches} patches each, ${seconds.toFixed(2)} s (${tf.getBackend()})`,
  );
  console.log(`model says ${printable(m.genres[predictedGenre(m)])}; the regions that moved it most toward ${printable(m.genres[genre])}:`);
  for (const r of strongestRegions(m, metadata.features, genre, 5)) {
    const where = r.hz ? `${Math.round(r.hz[0])}–${Math.round(r.hz[1])} Hz` : `coefficients ${r.rows[0]}–${r.rows[1]}`;
    console.log(`  ${r.start.toFixed(2)}–${r.end.toFixed(2)} s  ${where.padEnd(16)} −${(100 * r.weight).toFixed(1)} points`);
  }
  return 0;
}

/** The deletion check on the test clips named in the model's metadata. */
async function check(model: tf.LayersModel, metadata: ModelMetadata, dataPath: string, args: ReturnType<typeof parseArgs>): Promise<number> {
  const set = await readDataJson(createReadStream(dataPath, { encoding: 'utf8' }));
  const { clips, segments, labels } = testSplitSegments(set.clips, metadata);
  if (clips === 0) throw new Error(`none of the model's ${metadata.split.testClipNames.length} test clips is in ${dataPath}`);
  const [frames, coefficients] = metadata.inputShape;
  const started = performance.now();
  let shown = 0;
  const r = await deletionCheck(fastestPredict(model, frames, coefficients), metadata.genres, standardized(segments, metadata), labels, frames, coefficients, {
    fraction: numberFlag(args, 'fraction', 0.1), baseline: defaultBaseline(metadata),
    onProgress: (done, total) => {
      if (done / total >= shown + 0.1) {
        shown = Math.floor((10 * done) / total) / 10;
        process.stderr.write(`explaining: ${Math.round(100 * shown)} %\n`);
      }
    },
  });
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  console.log(
    `${clips} test clips, ${r.segments} segments; ${r.patchesRemoved} of ${r.patchesPerSegment} patches removed per segment (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  console.log(`segment accuracy as they are:              ${pct(r.accuracy)}`);
  console.log(`with the regions the explanation marks removed: ${pct(r.explainedRemoved)}`);
  console.log(`with as many random regions removed:          ${pct(r.randomRemoved)}`);
  return 0;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2).filter((a) => a !== '--'), { values: ['genre', 'out', 'check', 'fraction', 'patch-frames', 'patch-bands', 'backend'] });
  const [modelPath, audioPath] = args.positionals;
  const dataPath = args.flags.get('check');
  if (!modelPath || (!audioPath && typeof dataPath !== 'string')) {
    console.error(USAGE);
    return 2;
  }
  await useBackend(String(args.flags.get('backend') ?? 'wasm'));
  const { model, metadata } = await loadModel(modelPath);
  return typeof dataPath === 'string' ? check(model, metadata, dataPath, args) : explainClip(model, metadata, audioPath, args);
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
