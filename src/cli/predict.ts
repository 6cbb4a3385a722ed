/**
 * npm run predict -- <model folder> <audio file>
 * Classifies a WAV/AU file with a model folder (model.json, weights.bin, metadata.json) or the
 * zip the lab downloads, using the same src/dsp and src/model code as the page.
 */
import { printable } from './terminal';
import * as tf from '@tensorflow/tfjs';
import './quiet-tf';
import { readFileSync } from 'node:fs';
import { createMfcc } from '../dsp/mfcc-engine';
import { loadAudio } from '../dsp/load';
import { segmentMfccs } from '../dsp/segments';
import { modelFromFiles } from '../saving/artifacts';
import { classifySegments, modelMismatch, ranked } from '../evaluation/classify';
import { checkModelFiles } from '../saving/model-check';
import { readModel } from './model-folder';

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const json = args.includes('--json');
  const [modelPath, audioPath] = args.filter((a) => !a.startsWith('--'));
  if (!modelPath || !audioPath) {
    console.error('usage: npm run predict -- <model folder or zip> <audio file (WAV or AU)> [--json]');
    return 2;
  }
  await tf.setBackend('cpu');
  const { files, metadata } = checkModelFiles(readModel(modelPath));
  const model = await modelFromFiles(files.modelJson, files.weights);
  const mismatch = modelMismatch(model, metadata);
  if (mismatch) throw new Error(mismatch);
  const audio = loadAudio(new Uint8Array(readFileSync(audioPath)), metadata.features.sampleRate);
  const segments = segmentMfccs(audio.samples, createMfcc(metadata.features), { wholeSignal: true });
  const result = await classifySegments(model, metadata, segments);
  if (json) {
    // The same shape as python/predict.py --json, so the two can be compared number for number.
    console.log(JSON.stringify({ genres: result.genres, clip: result.clip, segments: result.segments, seconds: audio.seconds }));
    return 0;
  }
  console.log(`${printable(audioPath)}: ${(audio.samples.length / audio.sampleRate).toFixed(1)} s, ${segments.length} segments`);
  for (const r of ranked(result).slice(0, 5)) console.log(`${printable(r.genre).padEnd(12)} ${(100 * r.probability).toFixed(1).padStart(5)} %`);
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
