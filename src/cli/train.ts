/**
 * npm run train -- data.json [--preset recipe|cnn|fast] --out <folder> [flags that override it]
 * npm run train -- data.json --compare-splits [flags]: the leak report
 * In place of data.json: an .npz, or a shard folder of npm run extract (the folder or its manifest.json).
 * Trains with the same src/model code as the page, on tfjs's WASM backend (or --backend cpu).
 */
import './terminal';
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import './quiet-tf';
import { modelToFiles } from '../saving/artifacts';
import { summarize } from '../model/architectures/build';
import { toTrainingData, type TrainingData } from '../dataset/training-data';
import { makeMetadata } from '../model/training/make-metadata';
import { runSession, type SessionOptions } from '../model/training/session';
import { describeDivergence } from '../model/optimizers/epoch-policy';
import { describeSplit, splitData, splitProblem } from '../model/data/split';
import { GTZAN_SPLITS } from '../model/data/split-options';
import { summarizeGtzan } from '../dataset/gtzan';
import { describeTestAccuracy, intervalText } from '../evaluation/describe-metrics';
import { describeAccuracy } from '../evaluation/intervals';
import { LEAK_LABELS, leakResult, leakSentence } from '../evaluation/leak-report';
import { leakSplits } from '../evaluation/default-split';
import { missingGenres, splitWarnings } from '../evaluation/split-warnings';
import { presetFeaturesLabel, presetFeaturesProblem } from '../model/training/presets';
import { tuningPlan } from '../tuning/tuning-run';
import { numberFlag, parseArgs } from './args';
import { readFeatureInput } from './shard-folder';
import { nodeReplicas } from './node-replicas';
import { nodeTrial } from './node-trials';
import { presetHelp, presetOf, TRAIN_BOOLEAN_FLAGS, TRAIN_VALUE_FLAGS, trainOptions } from './train-options';
import { useNodeWasmBinaries } from '../model/backend/node-wasm-paths';

const USAGE = `usage: npm run train -- data.json [--preset recipe|cnn|fast] --out <folder>   (--preset help: what each is for)
       npm run train -- data.json [--preset …] --compare-splits   (the leak report: the same settings by segment, by clip and, on GTZAN, artist-disjoint)
  in place of data.json: features.npz, or a shard folder of npm run extract (the folder, or its manifest.json)
  any flag overrides the preset's value (without a preset, the reference recipe's):
  [--model lstm|cnn|conv1d] [--filters 16] [--epochs 30] [--split clip|segment|filtered|artist] [--seed 42] [--batch-size 32] [--learning-rate 1e-4]
  [--units 64,64] [--dense 64] [--dropout 0.3] [--standardize | --no-standardize] [--backend wasm|cpu] [--layers-lstm]
  [--early-stopping N (epochs without a lower validation loss; 0: off)] [--schedule constant|cosine|plateau]
  [--threads N (default: every core; data-parallel: the fast LSTM and CNNs)] [--time-mask 0] [--freq-mask 0] [--shift 0]   (augmentation of training batches: widest masks, largest shift, in frames/bands)`;

async function useBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    useNodeWasmBinaries();
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend could not start`);
  await tf.ready();
}

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);

/**
 * --out is a folder this run can write, found out before training rather than after the last
 * epoch (as train.py's check_out). Nothing is made yet: a run that writes nothing leaves nothing.
 */
function writableFolder(out: string): void {
  let problem: string | undefined;
  try {
    let at = resolve(out);
    while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
    if (!statSync(at).isDirectory()) {
      problem = at === resolve(out)
        ? 'is a file; it must name a folder (npm run train writes model.json, weights.bin and metadata.json in it)'
        : `cannot hold the model: ${at} is a file`;
    } else accessSync(at, constants.W_OK);
  } catch (e) {
    problem = `cannot hold the model: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (problem) throw new Error(`--out ${out} ${problem}`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), { values: TRAIN_VALUE_FLAGS, booleans: TRAIN_BOOLEAN_FLAGS });
  if (args.flags.get('preset') === 'help') {
    console.log(presetHelp());
    return 0;
  }
  const input = args.positionals[0];
  const out = args.flags.get('out');
  const compare = args.flags.has('compare-splits');
  if (args.flags.has('help') || !input || (!compare && typeof out !== 'string')) {
    console.error(USAGE);
    return args.flags.has('help') ? 0 : 2;
  }
  if (!compare) writableFolder(String(out));
  const preset = presetOf(args);
  const options = trainOptions(args, preset);
  const mode = options.split.mode;

  const backend = String(args.flags.get('backend') ?? 'wasm');
  await useBackend(backend);
  const threads = numberFlag(args, 'threads', Math.min(8, availableParallelism()));
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a whole number ≥ 1, got ${threads}`);
  const set = await readFeatureInput(input);
  const gtzan = summarizeGtzan(set.clips.map((c) => c.path));
  if (GTZAN_SPLITS.has(mode) && !gtzan.recognized) {
    throw new Error(`--split ${mode} needs GTZAN's clip names (<genre>/<genre>.000NN.wav) in data.json's "files"; ${gtzan.present} of ${gtzan.clips} clips have them`);
  }
  const data = toTrainingData(set);
  const featureProblem = preset && presetFeaturesProblem(preset, set.settings, data.coefficients);
  if (featureProblem) {
    const want = preset.features!;
    const how = want.featureType === 'logmel' ? `--features logmel --n-mels ${want.values}` : `--features mfcc --n-mfcc ${want.values}`;
    throw new Error(`${input}: ${featureProblem}. Extract ${presetFeaturesLabel(want)}: npm run extract -- <dataset folder> ${how} --out data.json`);
  }
  console.log(`${data.labels.length} segments, ${set.clips.length} clips, ${data.genres.length} genres; [${data.frames}, ${data.coefficients}] per segment; backend ${tf.getBackend()}, `
    + `model ${options.model.architecture ?? 'lstm'}${preset ? ` (preset ${preset.name})` : ''}; split ${describeSplit(mode)}, seed ${options.split.seed}`);
  if (compare) return compareSplits(data, options, leakSplits(data, gtzan, options.split.seed), threads, backend);

  for (const w of splitWarnings(data, splitData(data, options.split))) console.log(`warning: ${w}`);
  if (threads > 1) options.helpers = (config) => nodeReplicas(threads - 1, config, backend);
  let printedSummary = false;
  const result = await runSession(data, options, {
    onTrainer: (t) => console.log(`training with ${t.reason ?? `${t.path} on ${t.threads} thread(s)`}`),
    onEpoch: (e, model) => {
      if (!printedSummary) {
        printedSummary = true;
        const rows = summarize(model);
        console.log(rows.map((r) => `  ${r.type.padEnd(8)} ${r.outputShape.padEnd(18)} ${r.params} params`).join('\n'));
      }
      const best = e.bestEpoch === e.epoch && options.train.earlyStopping ? '  (best so far)' : '';
      console.log(`epoch ${e.epoch}/${e.epochs}  loss ${e.loss.toFixed(4)}  accuracy ${pct(e.accuracy)}  val_loss ${e.valLoss?.toFixed(4) ?? '—'}  val_accuracy ${pct(e.valAccuracy)}  `
        + `${e.seconds.toFixed(1)} s  ${e.samplesPerSecond.toFixed(1)} samples/s${best}`);
    },
  });
  if (result.stoppedEarly) console.log(`stopped early: ${options.train.earlyStopping} epochs without a lower validation loss`);
  const diverged = result.diverged;
  if (result.bestEpoch && !diverged) console.log(`kept the weights of epoch ${result.bestEpoch} (lowest validation loss)`);
  // A diverged run is a failed run (exit 1), whose best finite epoch is still worth its files.
  if (diverged && !diverged.keptEpoch) {
    console.error(`training ${describeDivergence(diverged, options.train.epochs)}; nothing was written`);
    return 1;
  }
  const files = await modelToFiles(result.model);
  const metadata = makeMetadata(data, set.settings, options, result, result.evaluation, tf.getBackend(), options.fastLstm);
  mkdirSync(String(out), { recursive: true });
  writeFileSync(join(String(out), 'model.json'), JSON.stringify(files.modelJson));
  writeFileSync(join(String(out), 'weights.bin'), new Uint8Array(files.weights));
  writeFileSync(join(String(out), 'metadata.json'), JSON.stringify(metadata, null, 2));
  console.log(`wrote ${join(String(out), 'model.json')}, weights.bin, metadata.json`);
  const accuracy = metadata.metrics ? describeTestAccuracy(metadata.metrics, metadata.split.testClips) : 'none (no test clips)';
  console.log(`test accuracy: ${accuracy}; split ${mode} (${metadata.split.sizes})`);
  if (diverged) {
    console.error(`training ${describeDivergence(diverged, options.train.epochs)}, and written to ${String(out)}`);
    return 1;
  }
  return 0;
}

/**
 * The leak report: the same settings trained on each split, side by side on the cores as tuning
 * runs its trials, each judged on its own test split; the last line says what the leaks added.
 */
async function compareSplits(data: TrainingData, options: SessionOptions, all: ReturnType<typeof leakSplits>, cores: number, backend: string): Promise<number> {
  const modes = all.filter((mode) => {
    const problem = splitProblem(data, splitData(data, { ...options.split, mode }));
    if (problem) console.log(`${LEAK_LABELS[mode]}: left out of the report: ${problem}`);
    return !problem;
  });
  if (modes.length < 2) throw new Error('the leak report needs at least two splits that can train and test a model');
  const plan = tuningPlan(cores, modes.length, data.x.byteLength);
  console.log(`leak report: ${modes.map((m) => LEAK_LABELS[m]).join(', ')}; ${plan.lanes} side by side, ${plan.threadsPerTrial} thread${plan.threadsPerTrial > 1 ? 's' : ''} each`);
  const results: ReturnType<typeof leakResult>[] = new Array(modes.length);
  let next = 0;
  const lane = async () => {
    while (next < modes.length) {
      const i = next++;
      const mode = modes[i];
      const split = { ...options.split, mode };
      const outcome = await nodeTrial(data, { ...options, split }, plan.threadsPerTrial, backend, true);
      if (outcome.status !== 'done' || !outcome.evaluation) throw new Error(`the ${LEAK_LABELS[mode]} run failed: ${outcome.message ?? outcome.status}`);
      const e = outcome.evaluation;
      const made = splitData(data, split);
      const missing = missingGenres(data, made);
      results[i] = leakResult(mode, e, { train: missing.train, test: missing.test });
      const interval = e.intervals?.segment ?? { low: 0, high: 1 };
      const balanced = e.balancedClipAccuracy !== undefined && e.intervals?.balancedClip
        ? `, balanced ${(100 * e.balancedClipAccuracy).toFixed(1)} % (95 % interval ${intervalText(e.intervals.balancedClip)})` : '';
      console.log(`${LEAK_LABELS[mode]}: ${describeAccuracy(e.segmentAccuracy, interval, 'segment', e.clips)}, ${describeAccuracy(e.clipAccuracy, e.intervals?.clip ?? { low: 0, high: 1 }, 'clip', e.clips)}${balanced}`
        + `${outcome.bestEpoch ? `; weights of epoch ${outcome.bestEpoch} of ${outcome.epochs}` : ''}${outcome.divergedAt ? `; diverged at epoch ${outcome.divergedAt} (a loss was not finite)` : ''}; ${outcome.seconds?.toFixed(0)} s`);
      for (const w of splitWarnings(data, made)) console.log(`  warning (${LEAK_LABELS[mode]}): ${w}`);
    }
  };
  await Promise.all(Array.from({ length: plan.lanes }, lane));
  console.log(`leak report: ${leakSentence(results)}`);
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
