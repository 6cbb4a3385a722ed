/**
 * The training settings as a plain store (no DOM): what the user chose, and the defaults the page
 * fills in around those choices. The form draws it and tuning reads it; every change goes through
 * a method here, so a new dataset, a preset or a loaded run can only change what it names, never
 * a choice the user made. The same functions turn settings into a session's options for the page
 * and for npm run train (src/cli/train-options.ts).
 */
import type { BackendChoice } from '../model/backend/backend';
import { validateConfig, type Architecture, type ModelSettings, type TrainConfig } from '../model/architectures/config';
import { DEFAULT_SPLIT, GTZAN_SPLITS, type SplitMode } from '../model/data/split-options';
import type { Schedule } from '../model/optimizers/epoch-policy';
import { PRESETS, type PresetName } from '../model/training/presets';
import type { SessionOptions } from '../model/training/session';
import { Store } from './store';

/** What the training form edits. */
export interface TrainingSettings {
  /** The preset the fields came from; `custom` once a field of the model or its training is changed. */
  preset?: PresetName | 'custom';
  /** Which network: the recipe's LSTM, a 2-D CNN or a 1-D CNN. */
  model: Architecture;
  /** The CNNs' first block's filters. */
  filters: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  lstmUnits: number;
  denseUnits: number;
  dropout: number;
  split: SplitMode;
  seed: number;
  standardize: boolean;
  backend: BackendChoice;
  /** The SIMD LSTM engine where it runs (WASM, CPU); off trains with tf.layers.lstm's own graph. */
  fastLstm: boolean;
  /** Augmentation of training batches: widest time and frequency masks, largest time shift (0 = off). */
  timeMask: number;
  freqMask: number;
  shift: number;
  /** Threads sharing each batch (data-parallel: the fast LSTM and the fast CNNs, on WASM or CPU). */
  threads: number;
  /** Epochs without a lower validation loss before training stops and keeps the best epoch's weights (0: off). Absent in older runs: off. */
  earlyStopping?: number;
  /** The learning rate over the epochs. Absent in older runs: constant. */
  schedule?: Schedule;
}

/** Every core this browser reports (up to 8: past that, sharing a batch of 32 gains little). */
export const DEFAULT_THREADS = Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 1));

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  model: 'lstm', filters: 16, epochs: 30, batchSize: 32, learningRate: 1e-4, lstmUnits: 64, denseUnits: 64, dropout: 0.3,
  split: 'clip', seed: 42, standardize: false, backend: 'auto', fastLstm: true, timeMask: 0, freqMask: 0, shift: 0,
  threads: DEFAULT_THREADS, preset: 'recipe', earlyStopping: 0, schedule: 'constant',
};

/** The fields a preset does not set: how the data is split and where training runs. */
export const NOT_PRESET: ReadonlySet<keyof TrainingSettings> = new Set(['split', 'seed', 'backend', 'threads', 'fastLstm', 'preset']);

/** The settings with a preset's model and training, keeping the split, seed and machine settings. */
export function settingsOfPreset(name: PresetName, s: TrainingSettings): TrainingSettings {
  const p = PRESETS[name];
  const augment = p.train.augment ?? { timeMask: 0, freqMask: 0, shift: 0 };
  return {
    ...s, preset: name, model: p.model.architecture ?? 'lstm', filters: p.model.filters ?? s.filters, lstmUnits: p.model.lstmUnits[0],
    denseUnits: p.model.denseUnits, dropout: p.model.dropout, learningRate: p.model.learningRate,
    epochs: p.train.epochs, batchSize: p.train.batchSize, standardize: p.train.standardize,
    timeMask: augment.timeMask, freqMask: augment.freqMask, shift: augment.shift,
    earlyStopping: p.train.earlyStopping ?? 0, schedule: p.train.schedule ?? 'constant',
  };
}

export const MODEL_NAMES: Record<Architecture, string> = {
  lstm: 'LSTM (the recipe)',
  cnn: '2-D CNN (time × coefficients)',
  conv1d: '1-D CNN (over time)',
};

/** The network the settings describe; frames, coefficients and classes come from the features. */
export function modelOf(s: TrainingSettings): ModelSettings {
  return {
    architecture: s.model, filters: s.filters,
    lstmUnits: [s.lstmUnits, s.lstmUnits], denseUnits: s.denseUnits, dropout: s.dropout, learningRate: s.learningRate,
  };
}

/** How the settings train: epochs, batches, seed, scaling and augmentation. */
export function trainOf(s: TrainingSettings): TrainConfig {
  return {
    epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, standardize: s.standardize,
    // Runs saved before augmentation existed have no widths: none.
    augment: { timeMask: s.timeMask ?? 0, freqMask: s.freqMask ?? 0, shift: s.shift ?? 0 },
    earlyStopping: s.earlyStopping ?? 0, schedule: s.schedule ?? 'constant',
  };
}

/** Everything a training session needs from the settings: the network, its training, the split and the LSTM engine. */
export function sessionOptionsOf(s: TrainingSettings): Omit<SessionOptions, 'build'> {
  return { model: modelOf(s), train: trainOf(s), split: { ...DEFAULT_SPLIT, mode: s.split, seed: s.seed }, fastLstm: s.fastLstm };
}

/** The first setting out of range for features of this shape, in words; undefined when they can train. */
export function settingsProblem(f: { frames: number; coefficients: number; genres: readonly string[] }, s: TrainingSettings): string | undefined {
  return validateConfig({ frames: f.frames, coefficients: f.coefficients, classes: f.genres.length, ...modelOf(s) }, trainOf(s));
}

/** What a new set of features offers the settings: their usual model, and the split the page would choose. */
export interface FeatureDefaults {
  /** Whether the features are of another type (MFCC / log-mel) than the ones before. */
  typeChanged: boolean;
  /** The preset made for these features, if one is. */
  fittingPreset?: PresetName;
  /** The model usually trained on this type (the 2-D CNN on log-mel, the LSTM on MFCCs). */
  usualModel: Architecture;
  /** The split the page would choose for these clips, and why when it is not the plain default. */
  split: SplitMode;
  splitReason?: string;
  /** Whether the GTZAN splits can be made on these clips. */
  gtzan: boolean;
}

/** The settings, what the user chose among them, and the page's defaults around the rest. */
export class TrainingSettingsStore extends Store {
  settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS };
  /** Why the page chose the split, when it chose it for these clips; cleared once the user chooses one. */
  splitReason: string | undefined;
  /** The fields the user set, through the form, a preset, a loaded run or tuning's best. */
  private readonly chosen = new Set<keyof TrainingSettings>();
  /** Whether the user chose this field (the page's defaults leave it alone). */
  isChosen(key: keyof TrainingSettings): boolean {
    return this.chosen.has(key);
  }

  /** One field set by the user; a field of the model or its training makes the settings custom. */
  set<K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]): void {
    this.chosen.add(key);
    if (key === 'split') this.splitReason = undefined;
    const custom = NOT_PRESET.has(key) ? {} : { preset: 'custom' as const };
    this.change({ ...this.settings, [key]: value, ...custom });
  }

  /** A preset chosen: it sets the model and training it names, nothing else. */
  usePreset(name: PresetName | 'custom'): void {
    this.chosen.add('preset');
    this.change(name === 'custom' ? { ...this.settings, preset: 'custom' } : settingsOfPreset(name, this.settings));
  }

  /** Settings loaded as a whole (a run's, tuning's best): every field they give counts as chosen. */
  load(settings: Partial<TrainingSettings>): void {
    for (const key of Object.keys(settings) as (keyof TrainingSettings)[]) this.chosen.add(key);
    if ('split' in settings) this.splitReason = undefined;
    this.change({ ...this.settings, ...settings });
  }

  /**
   * New features (extracted, restored, loaded): the page's defaults fill in only what the user
   * has not chosen. A chosen split stays unless these clips cannot make it (a GTZAN split on
   * clips without GTZAN's names); a chosen preset or model field keeps the whole model.
   */
  featuresChanged(d: FeatureDefaults): void {
    let next = this.settings;
    const splitPossible = d.gtzan || !GTZAN_SPLITS.has(next.split);
    if (!this.chosen.has('split') || !splitPossible) {
      this.splitReason =
        !splitPossible && this.chosen.has('split')
          ? `The ${next.split === 'filtered' ? 'fault-filtered' : 'by-artist'} split you chose needs GTZAN's clip names, which these clips do not have: by clip instead.`
          : d.splitReason;
      next = { ...next, split: this.chosen.has('split') ? 'clip' : d.split };
    }
    const modelChosen = [...this.chosen].some((k) => k === 'preset' || !NOT_PRESET.has(k));
    if (d.typeChanged && !modelChosen) {
      next = d.fittingPreset ? settingsOfPreset(d.fittingPreset, next) : { ...next, model: d.usualModel };
    }
    if (next !== this.settings) this.change(next);
  }

  private change(next: TrainingSettings): void {
    this.settings = next;
    this.changed();
  }
}
