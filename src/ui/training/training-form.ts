import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BackendChoice } from '../../model/backend/backend';
import { MAX_SEED, type Architecture } from '../../model/architectures/config';
import type { SplitMode } from '../../model/data/split-options';
import { SCHEDULES, type Schedule } from '../../model/optimizers/epoch-policy';
import { PRESET_NAMES, PRESETS, type PresetName } from '../../model/training/presets';
import { StoreWatch } from '../shared/store-watch';
import { panelStyles } from '../shared/styles';
import { DEFAULT_THREADS, MODEL_NAMES, TrainingSettingsStore, type TrainingSettings } from '../../app/training-settings';

const PRESET_LABELS: Record<PresetName, string> = {
  recipe: 'Recipe: the reference LSTM on 13 MFCCs, as published',
  cnn: 'Best honest: 2-D CNN on 64-band log-mel, augmented, early stopping',
  fast: 'Fast: 1-D CNN on 13 MFCCs, under a minute on GTZAN',
};

type NumberKey =
  | 'filters'
  | 'epochs'
  | 'batchSize'
  | 'learningRate'
  | 'lstmUnits'
  | 'denseUnits'
  | 'dropout'
  | 'seed'
  | 'timeMask'
  | 'freqMask'
  | 'shift'
  | 'threads'
  | 'earlyStopping';

const SCHEDULE_NAMES: Record<Schedule, string> = {
  constant: 'Constant (the recipe)',
  cosine: 'Cosine: down to 0 over the epochs',
  plateau: 'Halve after 3 epochs without a lower validation loss',
};

/** Labelled native controls for every training setting, drawn from the settings store and changing it. */
@customElement('training-form')
export class TrainingForm extends LitElement {
  static override styles = [panelStyles, css`
    .preset { margin: 0.5rem 0 0; }
    .preset select { min-width: 22rem; }
    form { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem 1rem; margin: 0.5rem 0; }
    label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.92rem; }
    label.check { flex-direction: row; align-items: center; gap: 0.4rem; }
    /* The split's options are long sentences: the field takes a whole row so none is cut. */
    label.wide { grid-column: 1 / -1; }
    label.wide select { max-width: 100%; }
    input, select { font: inherit; padding: 0.3rem; border: 1px solid #8796a5; border-radius: 4px; }
  `];

  /** The page's settings; the form draws them and sets what the user changes. */
  @property({ attribute: false }) store = new TrainingSettingsStore();
  @property({ type: Boolean }) disabled = false;
  /** Whether the chosen clips are GTZAN's, which the fault-filtered and by-artist splits need. */
  @property({ type: Boolean }) gtzan = false;
  /** Whether a dataset is loaded: before one is, the GTZAN splits wait for one rather than being refused. */
  @property({ type: Boolean }) loaded = false;

  constructor() {
    super();
    new StoreWatch(this, () => this.store);
  }

  override render() {
    const s = this.store.settings;
    const num = (key: NumberKey, label: string, attrs: { min: number; max?: number; step: number | 'any' }) => html`
      <label>${label}
        <input type="number" name=${key} .value=${String(s[key])} min=${attrs.min} max=${attrs.max ?? ''} step=${attrs.step}
          ?disabled=${this.disabled} @change=${(e: Event) => this.update_(key, Number((e.target as HTMLInputElement).value))} />
      </label>`;
    const preset = s.preset ?? 'custom';
    return html`
      <p class="preset"><label>Preset
        <select name="preset" ?disabled=${this.disabled}
          @change=${(e: Event) => this.usePreset((e.target as HTMLSelectElement).value as PresetName | 'custom')}>
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
        <label class="wide">Split
          <select name="split" ?disabled=${this.disabled} @change=${(e: Event) => this.update_('split', (e.target as HTMLSelectElement).value as SplitMode)}>
            <option value="clip" ?selected=${s.split === 'clip'}>By clip (honest: a clip's segments stay together)</option>
            <option value="segment" ?selected=${s.split === 'segment'}>By segment (leaky, as the reference recipe)</option>
            <option value="filtered" ?selected=${s.split === 'filtered'}
              ?disabled=${!this.gtzan}>Fault-filtered (GTZAN's standard: no artist on two sides)</option>
            <option value="artist" ?selected=${s.split === 'artist'} ?disabled=${!this.gtzan}>By artist (GTZAN, seeded)</option>
          </select>
          ${this.gtzan ? '' : html`<span class="muted" data-testid="gtzan-splits-off">The fault-filtered and by-artist splits need GTZAN's
            clip names (<code>&lt;genre&gt;/&lt;genre&gt;.000NN.wav</code>)${this.loaded ? '; this dataset does not have them' : ': they open when a folder named so is chosen'}.</span>`}
          ${this.store.splitReason ? html`<span class="muted" data-testid="split-reason">${this.store.splitReason}</span>` : ''}
        </label>
        ${num('seed', 'Seed', { min: 0, max: MAX_SEED, step: 1 })}
        ${num('earlyStopping', 'Early stopping: epochs without a lower validation loss (0 = off)', { min: 0, max: 10000, step: 1 })}
        <label>Learning-rate schedule
          <select name="schedule" ?disabled=${this.disabled}
            @change=${(e: Event) => this.update_('schedule', (e.target as HTMLSelectElement).value as Schedule)}>
            ${SCHEDULES.map((v) => html`<option value=${v} ?selected=${v === (s.schedule ?? 'constant')}>${SCHEDULE_NAMES[v]}</option>`)}
          </select>
        </label>
        ${num('timeMask', 'Time masks: widest, frames (training batches; 0 = off)', { min: 0, max: 1000, step: 1 })}
        ${num('freqMask', 'Frequency masks: widest, bands or coefficients (0 = off)', { min: 0, max: 1000, step: 1 })}
        ${num('shift', 'Time shift: most frames either way (0 = off)', { min: 0, max: 1000, step: 1 })}
        <label>Backend
          <select name="backend" ?disabled=${this.disabled}
            @change=${(e: Event) => this.update_('backend', (e.target as HTMLSelectElement).value as BackendChoice)}>
            ${(['auto', 'webgl', 'webgpu', 'wasm', 'cpu'] as const).map((b) => html`<option value=${b} ?selected=${b === s.backend}>${b === 'auto' ? 'Automatic (fastest here)' : b === 'webgpu' ? 'WebGPU' : b.toUpperCase()}</option>`)}
          </select>
        </label>
        <label class="check"><input type="checkbox" name="standardize" .checked=${s.standardize} ?disabled=${this.disabled}
          @change=${(e: Event) => this.update_('standardize', (e.target as HTMLInputElement).checked)} /> Standardise each coefficient (fitted on the training split)</label>
        ${num('threads', `Threads sharing each batch (WASM or CPU; ${DEFAULT_THREADS} cores here)`, { min: 1, max: DEFAULT_THREADS, step: 1 })}
        ${s.model === 'lstm' ? html`<label class="check"><input type="checkbox" name="fastLstm" .checked=${s.fastLstm} ?disabled=${this.disabled}
          @change=${(e: Event) => this.update_('fastLstm', (e.target as HTMLInputElement).checked)} /> Fast LSTM (SIMD kernel on WASM and CPU; off: tf.layers.lstm)</label>` : ''}
      </form>
    `;
  }

  private usePreset(name: PresetName | 'custom') {
    this.store.usePreset(name);
  }

  private update_<K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]) {
    this.store.set(key, value);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'training-form': TrainingForm;
  }
}
