import { LIMITS } from '../dataset/limits';
import { DEFAULT_TRAIN, REFERENCE_MODEL, validateConfig, type Architecture } from '../model/architectures/config';
import { DEFAULT_FILTERS } from '../model/architectures/spec';
import { DEFAULT_SPLIT, type SplitMode } from '../model/data/split-options';
import { SPLIT_MODES } from '../model/data/split-options';
import { SCHEDULES, type Schedule } from '../model/optimizers/epoch-policy';
import { PRESET_NAMES, PRESETS, type Preset, type PresetName } from '../model/training/presets';
import type { SessionOptions } from '../model/training/session';
import { numberFlag, type ParsedArgs } from './args';

/** Every flag npm run train reads that sets a value. */
export const TRAIN_VALUE_FLAGS = ['preset', 'model', 'filters', 'epochs', 'split', 'seed', 'out', 'batch-size', 'learning-rate', 'units', 'dense', 'dropout',
  'backend', 'time-mask', 'freq-mask', 'shift', 'threads', 'early-stopping', 'schedule'];
export const TRAIN_BOOLEAN_FLAGS = ['standardize', 'no-standardize', 'help', 'layers-lstm', 'compare-splits'];

/** "--preset help": each preset and what it is for. */
export function presetHelp(): string {
  return ['presets (npm run train -- data.json --preset NAME; any other flag overrides the preset\'s value):',
    ...PRESET_NAMES.map((n) => `  ${n.padEnd(7)} ${PRESETS[n].summary}`)].join('\n');
}

/** The preset named by --preset, if any; a name that is none is an error that lists them. */
export function presetOf(args: ParsedArgs): Preset | undefined {
  const name = args.flags.get('preset');
  if (name === undefined) return undefined;
  if (!PRESET_NAMES.includes(name as PresetName)) throw new Error(`--preset ${String(name)} is not a preset.\n${presetHelp()}`);
  return PRESETS[name as PresetName];
}

/** The session's options: the preset's (or the recipe's defaults), every flag given overriding them. */
export function trainOptions(args: ParsedArgs, preset: Preset | undefined): SessionOptions {
  const model = preset?.model ?? { ...REFERENCE_MODEL, architecture: 'lstm' as Architecture, filters: DEFAULT_FILTERS };
  const train = preset?.train ?? { ...DEFAULT_TRAIN };
  const mode = (args.flags.get('split') ?? 'clip') as SplitMode;
  if (!SPLIT_MODES.includes(mode)) throw new Error('--split must be clip, segment, filtered or artist');
  const schedule = (args.flags.get('schedule') ?? train.schedule ?? 'constant') as Schedule;
  if (!SCHEDULES.includes(schedule)) throw new Error(`--schedule must be ${SCHEDULES.join(', ')}`);
  const units = args.flags.has('units') ? String(args.flags.get('units')).split(',').map(Number) : model.lstmUnits;
  const seed = numberFlag(args, 'seed', DEFAULT_TRAIN.seed);
  // The lab's one seed range (schemas/limits.json), in python/train.py's words.
  if (!Number.isInteger(seed) || seed < 0 || seed > LIMITS.seedMax) throw new Error(`--seed must be a whole number from 0 to ${LIMITS.seedMax}, got ${seed}`);
  const augment = train.augment ?? { timeMask: 0, freqMask: 0, shift: 0 };
  const options: SessionOptions = {
    model: {
      architecture: String(args.flags.get('model') ?? model.architecture ?? 'lstm') as Architecture,
      filters: numberFlag(args, 'filters', model.filters ?? DEFAULT_FILTERS),
      lstmUnits: units,
      denseUnits: numberFlag(args, 'dense', model.denseUnits),
      dropout: numberFlag(args, 'dropout', model.dropout),
      learningRate: numberFlag(args, 'learning-rate', model.learningRate),
    },
    train: {
      epochs: numberFlag(args, 'epochs', train.epochs),
      batchSize: numberFlag(args, 'batch-size', train.batchSize),
      seed,
      standardize: args.flags.has('no-standardize') ? false : args.flags.has('standardize') || train.standardize,
      augment: {
        timeMask: numberFlag(args, 'time-mask', augment.timeMask),
        freqMask: numberFlag(args, 'freq-mask', augment.freqMask),
        shift: numberFlag(args, 'shift', augment.shift),
      },
      earlyStopping: numberFlag(args, 'early-stopping', train.earlyStopping ?? 0),
      schedule,
    },
    split: { ...DEFAULT_SPLIT, mode, seed },
    // The SIMD LSTM by default where it runs; --layers-lstm falls back to tf.layers.lstm.
    fastLstm: !args.flags.has('layers-lstm'),
  };
  const problem = validateConfig({ ...options.model, frames: 1, coefficients: 1, classes: 2 }, options.train);
  if (problem) throw new Error(problem);
  return options;
}
