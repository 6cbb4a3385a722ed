import { LIMITS } from '../dataset/limits';
import { DEFAULT_TRAINING_SETTINGS, sessionOptionsOf, settingsOfPreset, type TrainingSettings } from '../app/training-settings';
import { validateConfig, type Architecture } from '../model/architectures/config';
import { SPLIT_MODES, type SplitMode } from '../model/data/split-options';
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

/**
 * The session's options: the preset's settings (or the recipe's defaults), every flag given
 * overriding them, turned into options by the page's own code (src/app/training-settings.ts).
 */
export function trainOptions(args: ParsedArgs, preset: Preset | undefined): SessionOptions {
  const name = PRESET_NAMES.find((n) => PRESETS[n] === preset);
  const base = name ? settingsOfPreset(name, DEFAULT_TRAINING_SETTINGS) : DEFAULT_TRAINING_SETTINGS;
  const mode = (args.flags.get('split') ?? 'clip') as SplitMode;
  if (!SPLIT_MODES.includes(mode)) throw new Error('--split must be clip, segment, filtered or artist');
  const schedule = (args.flags.get('schedule') ?? base.schedule ?? 'constant') as Schedule;
  if (!SCHEDULES.includes(schedule)) throw new Error(`--schedule must be ${SCHEDULES.join(', ')}`);
  // The page trains two LSTM layers of one size; --units may name any number of layers.
  const units = args.flags.has('units') ? String(args.flags.get('units')).split(',').map(Number) : undefined;
  const seed = numberFlag(args, 'seed', DEFAULT_TRAINING_SETTINGS.seed);
  // The lab's one seed range (schemas/limits.json), in python/train.py's words.
  if (!Number.isInteger(seed) || seed < 0 || seed > LIMITS.seedMax) throw new Error(`--seed must be a whole number from 0 to ${LIMITS.seedMax}, got ${seed}`);
  const settings: TrainingSettings = {
    ...base,
    model: String(args.flags.get('model') ?? base.model) as Architecture,
    filters: numberFlag(args, 'filters', base.filters),
    lstmUnits: units?.[0] ?? base.lstmUnits,
    denseUnits: numberFlag(args, 'dense', base.denseUnits),
    dropout: numberFlag(args, 'dropout', base.dropout),
    learningRate: numberFlag(args, 'learning-rate', base.learningRate),
    epochs: numberFlag(args, 'epochs', base.epochs),
    batchSize: numberFlag(args, 'batch-size', base.batchSize),
    seed,
    standardize: args.flags.has('no-standardize') ? false : args.flags.has('standardize') || base.standardize,
    timeMask: numberFlag(args, 'time-mask', base.timeMask),
    freqMask: numberFlag(args, 'freq-mask', base.freqMask),
    shift: numberFlag(args, 'shift', base.shift),
    earlyStopping: numberFlag(args, 'early-stopping', base.earlyStopping ?? 0),
    schedule,
    split: mode,
    // The SIMD LSTM by default where it runs; --layers-lstm falls back to tf.layers.lstm.
    fastLstm: !args.flags.has('layers-lstm'),
  };
  const options: SessionOptions = sessionOptionsOf(settings);
  if (units) options.model = { ...options.model, lstmUnits: units };
  const problem = validateConfig({ ...options.model, frames: 1, coefficients: 1, classes: 2 }, options.train);
  if (problem) throw new Error(problem);
  return options;
}
