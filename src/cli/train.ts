/**
 * npm run train -- data.json --epochs N [--model lstm|cnn|conv1d] [--split clip|segment|filtered|artist] [--seed S] --out <folder>
 * Trains with the same src/model code as the page, on tfjs's WASM backend (or --backend cpu).
 */
import './terminal';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import './quiet-tf';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readDataJson } from '../dataset/data-json-stream';
import { modelToFiles } from '../model/files/artifacts';
import { summarize } from '../model/architectures/build';
import { DEFAULT_TRAIN, REFERENCE_MODEL, validateConfig, type Architecture } from '../model/architectures/config';
import { DEFAULT_FILTERS } from '../model/architectures/conv-models';
import { toTrainingData } from '../dataset/training-data';
import { makeMetadata } from '../model/training/make-metadata';
import { runSession, type SessionOptions } from '../model/training/session';
import { DEFAULT_SPLIT, describeSplit, type SplitMode } from '../model/data/split';
import { GTZAN_SPLITS, SPLIT_MODES } from '../model/data/split-options';
import { recognizeGtzan } from '../dataset/gtzan';
import { numberFlag, parseArgs } from './args';
import { nodeReplicas } from './node-replicas';

const USAGE = `usage: npm run train -- data.json --epochs N --out <folder>
  [--model lstm|cnn|conv1d] [--filters 16] [--split clip|segment|filtered|artist] [--seed 42] [--batch-size 32] [--learning-rate 1e-4]
  [--units 64,64] [--dense 64] [--dropout 0.3] [--standardize] [--backend wasm|cpu] [--layers-lstm]
  [--threads N (default: every core; data-parallel: the fast LSTM and CNNs)] [--time-mask 0] [--freq-mask 0] [--shift 0]   (augmentation of training batches: widest masks, largest shift, in frames/bands)`;

async function useBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend could not start`);
  await tf.ready();
}

const pct = (v: number | null) => (v === null ? '—' : (100 * v).toFixed(1) + ' %');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    values: ['model', 'filters', 'epochs', 'split', 'seed', 'out', 'batch-size', 'learning-rate', 'units', 'dense', 'dropout', 'backend', 'time-mask', 'freq-mask', 'shift', 'threads'],
    booleans: ['standardize', 'help', 'layers-lstm'],
  });
  const input = args.positionals[0];
  const out = args.flags.get('out');
  if (args.flags.has('help') || !input || typeof out !== 'string' || !args.flags.has('epochs')) {
    console.error(USAGE);
    return args.flags.has('help') ? 0 : 2;
  }
  const mode = (args.flags.get('split') ?? 'clip') as SplitMode;
  if (!SPLIT_MODES.includes(mode)) throw new Error('--split must be clip, segment, filtered or artist');
  const units = String(args.flags.get('units') ?? REFERENCE_MODEL.lstmUnits.join(',')).split(',').map(Number);
  const options: SessionOptions = {
    model: {
      architecture: String(args.flags.get('model') ?? 'lstm') as Architecture,
      filters: numberFlag(args, 'filters', DEFAULT_FILTERS),
      lstmUnits: units,
      denseUnits: numberFlag(args, 'dense', REFERENCE_MODEL.denseUnits),
      dropout: numberFlag(args, 'dropout', REFERENCE_MODEL.dropout),
      learningRate: numberFlag(args, 'learning-rate', REFERENCE_MODEL.learningRate),
    },
    train: {
      epochs: numberFlag(args, 'epochs', DEFAULT_TRAIN.epochs),
      batchSize: numberFlag(args, 'batch-size', DEFAULT_TRAIN.batchSize),
      seed: numberFlag(args, 'seed', DEFAULT_TRAIN.seed),
      standardize: args.flags.has('standardize'),
      augment: { timeMask: numberFlag(args, 'time-mask', 0), freqMask: numberFlag(args, 'freq-mask', 0), shift: numberFlag(args, 'shift', 0) },
    },
    split: { ...DEFAULT_SPLIT, mode, seed: numberFlag(args, 'seed', DEFAULT_SPLIT.seed) },
    // The fused LSTM by default; --layers-lstm falls back to tf.layers.lstm.
    fastLstm: !args.flags.has('layers-lstm'),
  };
  const problem = validateConfig({ ...options.model, frames: 1, coefficients: 1, classes: 2 }, options.train);
  if (problem) throw new Error(problem);

  const backend = String(args.flags.get('backend') ?? 'wasm');
  await useBackend(backend);
  const threads = numberFlag(args, 'threads', Math.min(8, availableParallelism()));
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a whole number ≥ 1, got ${threads}`);
  if (threads > 1) options.helpers = (config) => nodeReplicas(threads - 1, config, backend);
  const set = await readDataJson(createReadStream(input, { encoding: 'utf8' }));
  const gtzan = recognizeGtzan(set.clips.map((c) => c.path));
  if (GTZAN_SPLITS.has(mode) && !gtzan.recognized) {
    throw new Error(`--split ${mode} needs GTZAN's clip names (<genre>/<genre>.000NN.wav) in data.json's "files"; ${gtzan.present} of ${gtzan.clips} clips have them`);
  }
  const data = toTrainingData(set);
  console.log(`${data.labels.length} segments, ${set.clips.length} clips, ${data.genres.length} genres; [${data.frames}, ${data.coefficients}] per segment; backend ${tf.getBackend()}, model ${options.model.architecture ?? 'lstm'}; split ${describeSplit(mode)}, seed ${options.split.seed}`);

  let printedSummary = false;
  const result = await runSession(data, options, {
    onTrainer: (t) => console.log(`training ${t.path === 'fast-lstm' ? 'with the fast LSTM' : t.path === 'fast-cnn' ? 'with the fast CNN kernels' : 'with tfjs layers'} on ${t.threads} thread${t.threads > 1 ? 's' : ''}`),
    onEpoch: (e, model) => {
      if (!printedSummary) {
        printedSummary = true;
        const rows = summarize(model);
        console.log(rows.map((r) => `  ${r.type.padEnd(8)} ${r.outputShape.padEnd(18)} ${r.params} params`).join('\n'));
      }
      console.log(`epoch ${e.epoch}/${e.epochs}  loss ${e.loss.toFixed(4)}  accuracy ${pct(e.accuracy)}  val_loss ${e.valLoss?.toFixed(4) ?? '—'}  val_accuracy ${pct(e.valAccuracy)}  ${e.seconds.toFixed(1)} s  ${e.samplesPerSecond.toFixed(1)} samples/s`);
    },
  });
  const files = await modelToFiles(result.model);
  const metadata = makeMetadata(data, set.settings, options, result, result.evaluation, tf.getBackend(), options.fastLstm);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'model.json'), JSON.stringify(files.modelJson));
  writeFileSync(join(out, 'weights.bin'), new Uint8Array(files.weights));
  writeFileSync(join(out, 'metadata.json'), JSON.stringify(metadata, null, 2));
  console.log(`wrote ${join(out, 'model.json')}, weights.bin, metadata.json`);
  const ev = result.evaluation;
  console.log(`test accuracy: ${ev.segmentAccuracy.toFixed(4)} (segment), ${ev.clipAccuracy.toFixed(4)} (clip), split ${mode} (${metadata.split.sizes})`);
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
