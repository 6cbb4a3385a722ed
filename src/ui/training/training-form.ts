import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BackendChoice } from '../../model/backend/backend';
import type { Architecture, ModelConfig, TrainConfig } from '../../model/architectures/config';
import type { SplitMode } from '../../model/data/split-options';
import { SCHEDULES, type Schedule } from '../../model/optimizers/epoch-policy';
import { PRESET_NAMES, PRESETS, type PresetName } from '../../model/training/presets';
import { panelStyles } from '../shared/styles';

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
  /** The fused LSTM (3–4× faster); off trains with tf.layers.lstm's own graph. */
  fastLstm: boolean;
  /** Augmentation of training batches: widest time and frequency masks, largest time shift (0 = off). */
  timeMask: number;
  freqMask: number;
  shift: number;
  /** Threads sharing each batch (data-parallel: the fast LSTM and the fast CNNs, on WASM or CPU). */
  threads: number;
  /** Epochs without a lower validation loss before training stops and keeps the best epoch's weights (0: off). Absent in runs kept before 2026-12-04: off. */
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
const NOT_PRESET: ReadonlySet<keyof TrainingSettings> = new Set(['split', 'seed', 'backend', 'threads', 'fastLstm', 'preset']);

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

const PRESET_LABELS: Record<PresetName, string> = {
  recipe: 'Recipe: the reference LSTM on 13 MFCCs, as published',
  cnn: 'Best honest: 2-D CNN on 64-band log-mel, augmented, early stopping',
  fast: 'Fast: 1-D CNN on 13 MFCCs, under a minute on GTZAN',
};

type NumberKey = 'filters' | 'epochs' | 'batchSize' | 'learningRate' | 'lstmUnits' | 'denseUnits' | 'dropout' | 'seed' | 'timeMask' | 'freqMask' | 'shift' | 'threads' | 'earlyStopping';

const SCHEDULE_NAMES: Record<Schedule, string> = {
  constant: 'Constant (the recipe)',
  cosine: 'Cosine: down to 0 over the epochs',
  plateau: 'Halve after 3 epochs without a lower validation loss',
};

export const MODEL_NAMES: Record<Architecture, string> = {
  lstm: 'LSTM (the recipe)',
  cnn: '2-D CNN (time × coefficients)',
  conv1d: '1-D CNN (over time)',
};

/** The network the settings describe; frames, coefficients and classes come from the features. */
export function modelOf(s: TrainingSettings): Omit<ModelConfig, 'frames' | 'coefficients' | 'classes'> {
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

/** Labelled native controls for every training setting; emits `settings-changed`. */
@customElement('training-form')
export class TrainingForm extends LitElement {
  static override styles = [panelStyles, css`
    .preset { margin: 0.5rem 0 0; }
    .preset select { min-width: 22rem; }
    form { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem 1rem; margin: 0.5rem 0; }
    label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.92rem; }
    label.check { flex-direction: row; align-items: center; gap: 0.4rem; }
    input, select { font: inherit; padding: 0.3rem; border: 1px solid #8796a5; border-radius: 4px; }
  `];

  @property({ attribute: false }) settings: TrainingSettings = DEFAULT_TRAINING_SETTINGS;
  @property({ type: Boolean }) disabled = false;
  /** Whether the chosen clips are GTZAN's, which the fault-filtered and by-artist splits need. */
  @property({ type: Boolean }) gtzan = false;

  override render() {
    const s = this.settings;
    const num = (key: NumberKey, label: string, attrs: { min: number; max?: number; step: number | 'any' }) => html`
      <label>${label}
        <input type="number" name=${key} .value=${String(s[key])} min=${attrs.min} max=${attrs.max ?? ''} step=${attrs.step}
          ?disabled=${this.disabled} @change=${(e: Event) => this.update_(key, Number((e.target as HTMLInputElement).value))} />
      </label>`;
    const preset = s.preset ?? 'custom';
    return html`
      <p class="preset"><label>Preset
        <select name="preset" ?disabled=${this.disabled} @change=${(e: Event) => this.usePreset((e.target as HTMLSelectElement).value as PresetName | 'custom')}>
          ${PRESET_NAMES.map((n) => html`<option value=${n} ?selected=${n === preset}>${PRESET_LABELS[n]}</option>`)}
          <option value="custom" ?selected=${preset === 'custom'}>Custom: the fields below as you set them</option>
        </select></label>
        <span class="muted" data-testid="preset-summary">${preset === 'custom' ? 'Your own settings.' : `${PRESETS[preset].summary}.`}</span></p>
      <form @submit=${(e: Event) => e.preventDefault()}>
        <label>Model
          <select name="model" ?disabled=${this.disabled} @change=${(e: Event) => this.update_('model', (e.target as HTMLSelectElement).value as Architecture)}>
            ${(Object.keys(MODEL_NAMES) as Architecture[]).map((m) => html`<option value=${m} ?selected=${m === s.model}>${MODEL_NAMES[m]}</option>`)}
          </select>
        </label>
        ${num('epochs', 'Epochs', { min: 1, max: 10000, step: 1 })}
        ${num('batchSize', 'Batch size', { min: 1, max: 4096, step: 1 })}
        <label>Learning rate
          <select name="learningRate" ?disabled=${this.disabled}
            @change=${(e: Event) => this.update_('learningRate', Number((e.target as HTMLSelectElement).value))}>
            ${[1e-2, 1e-3, 1e-4, 1e-5].map((v) => html`<option value=${v} ?selected=${v === s.learningRate}>${v}</option>`)}
          </select>
        </label>
        ${s.model === 'lstm' ? num('lstmUnits', 'LSTM units (each of 2 layers)', { min: 1, max: 2048, step: 1 })
          : num('filters', 'Filters (first block; doubled in each next)', { min: 1, max: 256, step: 1 })}
        ${s.model === 'cnn' ? '' : num('denseUnits', 'Dense units', { min: 1, max: 4096, step: 1 })}
        ${num('dropout', 'Dropout', { min: 0, max: 0.9, step: 0.05 })}
        <label>Split
          <select name="split" ?disabled=${this.disabled} @change=${(e: Event) => this.update_('split', (e.target as HTMLSelectElement).value as SplitMode)}>
            <option value="clip" ?selected=${s.split === 'clip'}>By clip (honest: a clip's segments stay together)</option>
            <option value="segment" ?selected=${s.split === 'segment'}>By segment (leaky, as the reference recipe)</option>
            <option value="filtered" ?selected=${s.split === 'filtered'} ?disabled=${!this.gtzan}>Fault-filtered (GTZAN's standard: no artist on two sides)</option>
            <option value="artist" ?selected=${s.split === 'artist'} ?disabled=${!this.gtzan}>By artist (GTZAN, seeded)</option>
          </select>
          ${this.gtzan ? '' : html`<span class="muted" data-testid="gtzan-splits-off">The fault-filtered and by-artist splits need GTZAN's
            clip names (<code>&lt;genre&gt;/&lt;genre&gt;.000NN.wav</code>); this dataset does not have them.</span>`}
        </label>
        ${num('seed', 'Seed', { min: 0, step: 1 })}
        ${num('earlyStopping', 'Early stopping: epochs without a lower validation loss (0 = off)', { min: 0, max: 10000, step: 1 })}
        <label>Learning-rate schedule
          <select name="schedule" ?disabled=${this.disabled} @change=${(e: Event) => this.update_('schedule', (e.target as HTMLSelectElement).value as Schedule)}>
            ${SCHEDULES.map((v) => html`<option value=${v} ?selected=${v === (s.schedule ?? 'constant')}>${SCHEDULE_NAMES[v]}</option>`)}
          </select>
        </label>
        ${num('timeMask', 'Time masks: widest, frames (training batches; 0 = off)', { min: 0, max: 1000, step: 1 })}
        ${num('freqMask', 'Frequency masks: widest, bands or coefficients (0 = off)', { min: 0, max: 1000, step: 1 })}
        ${num('shift', 'Time shift: most frames either way (0 = off)', { min: 0, max: 1000, step: 1 })}
        <label>Backend
          <select name="backend" ?disabled=${this.disabled} @change=${(e: Event) => this.update_('backend', (e.target as HTMLSelectElement).value as BackendChoice)}>
            ${(['auto', 'webgl', 'webgpu', 'wasm', 'cpu'] as const).map((b) => html`<option value=${b} ?selected=${b === s.backend}>${b === 'auto' ? 'Automatic (fastest here)' : b === 'webgpu' ? 'WebGPU' : b.toUpperCase()}</option>`)}
          </select>
        </label>
        <label class="check"><input type="checkbox" name="standardize" .checked=${s.standardize} ?disabled=${this.disabled}
          @change=${(e: Event) => this.update_('standardize', (e.target as HTMLInputElement).checked)} /> Standardise each coefficient (fitted on the training split)</label>
        ${num('threads', `Threads sharing each batch (WASM or CPU; ${DEFAULT_THREADS} cores here)`, { min: 1, max: DEFAULT_THREADS, step: 1 })}
        <label class="check"><input type="checkbox" name="fastLstm" .checked=${s.fastLstm} ?disabled=${this.disabled || s.model !== 'lstm'}
          @change=${(e: Event) => this.update_('fastLstm', (e.target as HTMLInputElement).checked)} /> Fast LSTM (fused kernels; off: tf.layers.lstm)</label>
      </form>
    `;
  }

  private usePreset(name: PresetName | 'custom') {
    this.emit(name === 'custom' ? { ...this.settings, preset: 'custom' } : settingsOfPreset(name, this.settings));
  }

  private update_<K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]) {
    // A changed field of the model or its training makes the settings the user's own.
    this.emit({ ...this.settings, [key]: value, ...(NOT_PRESET.has(key) ? {} : { preset: 'custom' as const }) });
  }

  private emit(settings: TrainingSettings) {
    this.settings = settings;
    this.dispatchEvent(new CustomEvent<TrainingSettings>('settings-changed', { detail: this.settings, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-form': TrainingForm;
  }
}
