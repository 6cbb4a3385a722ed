import type { FeatureChoice } from '../dataset/feature-choices';
import type { FeatureSet } from '../dataset/feature-set';
import type { GtzanSummary } from '../dataset/gtzan';
import type { TuningParams } from '../tuning/search-space';
import { TRIAL_EARLY_STOPPING } from '../tuning/tuning-run';
import type { ModelStore } from '../storage/model-store';
import type { RunRecord, RunStore } from '../storage/run-store';
import type { TuningStore } from '../storage/tuning-store';
import { DatasetSession, type DatasetSessionDeps } from './dataset-session';
import { featureDefaults } from './feature-defaults';
import { RunList } from './run-list';
import { Store } from './store';
import { TrainingRun, type TrainedModel, type TrainerFactory } from './training-run';
import { DEFAULT_TRAINING_SETTINGS, TrainingSettingsStore, type TrainingSettings } from './training-settings';
import { TuningSearch } from './tuning-search';

/** What the lab runs on: the page's trainer worker, and (in tests) its own stores. */
export interface LabDeps {
  startTrainer: TrainerFactory;
  dataset?: Partial<DatasetSessionDeps>;
  models?: Promise<ModelStore>;
  tuning?: Promise<TuningStore>;
  runs?: Promise<RunStore>;
}

/** A model from elsewhere on the page (a kept run's) to classify with, named by where it came from. */
export interface ChosenModel {
  model: TrainedModel;
  source: string;
}

/**
 * The whole lab as plain objects: the dataset session, the training settings and run, the tuning
 * search and the kept runs, and what passes between them (new features set the settings'
 * defaults, an ended run is kept, tuning's best and a kept run's settings load into the form).
 * The page provides these objects to its panels and turns their events into calls here.
 */
export class Lab extends Store {
  readonly settings = new TrainingSettingsStore();
  readonly dataset: DatasetSession;
  readonly training: TrainingRun;
  readonly tuning: TuningSearch;
  readonly runs: RunList;
  /** The features every later step works on. */
  features: FeatureSet | undefined;
  /** Whether the features are GTZAN's, and whether its lists cover them. */
  gtzan: GtzanSummary | undefined;
  /** The model trained (or restored) in the training step. */
  model: TrainedModel | undefined;
  /** The model the classify step was asked to use. */
  chosenModel: ChosenModel | undefined;

  constructor(deps: LabDeps) {
    super();
    this.dataset = new DatasetSession(deps.dataset);
    this.training = new TrainingRun(deps.startTrainer, deps.models);
    this.tuning = new TuningSearch(deps.startTrainer, deps.tuning);
    this.runs = new RunList(deps.runs);
    this.dataset.onFeatures = (f, gtzan) => void this.featuresChanged(f, gtzan);
    this.training.onModel = (model) => {
      this.model = model;
      this.changed();
    };
    this.training.onRunEnded = (run, model) => void this.runs.add(run, model);
  }

  /** Reads what this browser kept: the last model and checkpoint, the last search, the runs, the last dataset's features. */
  start(): void {
    void this.training.load();
    void this.tuning.restore();
    void this.runs.refresh();
    void this.dataset.open();
  }

  /** Ends the training worker, if one runs. */
  dispose(): void {
    this.training.dispose();
  }

  /** New features: the settings take the defaults they offer wherever the user has not chosen. */
  async featuresChanged(f: FeatureSet | undefined, gtzan: GtzanSummary | undefined): Promise<void> {
    const before = this.features?.settings;
    this.features = f;
    this.gtzan = gtzan;
    this.changed();
    if (!f) return;
    const defaults = await featureDefaults(f, before, gtzan, this.settings.settings.seed);
    if (f !== this.features) return;
    this.settings.featuresChanged(defaults);
  }

  /** A preset asked for features the dataset step can make: it extracts (or restores) them. */
  extractFeatures(choice: FeatureChoice): void {
    void this.dataset.useChoice(choice);
  }

  /** A clip chosen in the evaluation's error lists opens in the dataset step's inspector. */
  inspectClip(path: string, play?: boolean, explain?: boolean): void {
    this.dataset.inspect(path, play, explain);
  }

  /** Tuning's best trial into the training settings. */
  useBest(p: TuningParams): void {
    this.settings.load({
      model: p.model, filters: p.filters, lstmUnits: p.lstmUnits, denseUnits: p.denseUnits,
      dropout: p.dropout, learningRate: p.learningRate, batchSize: p.batchSize, preset: 'custom',
      // Trials were judged on the weights of their best epoch: the winner trains so again.
      earlyStopping: this.settings.settings.earlyStopping || TRIAL_EARLY_STOPPING,
    });
  }

  /** A kept run's settings into the form; runs kept before presets existed name none: their fields are the user's own. */
  loadRunSettings(settings: Partial<TrainingSettings>): void {
    // A run that names no preset has the user's own fields.
    this.settings.load({ ...DEFAULT_TRAINING_SETTINGS, preset: 'custom', ...settings });
  }

  /** A kept run trained again: its settings go into the form, and the run is checked against it. */
  rerun(run: RunRecord): Promise<void> {
    this.loadRunSettings(run.settings);
    return this.training.rerun(this.features, this.settings.settings, run);
  }

  /** A kept run's model for the classify step. */
  classifyWith(model: TrainedModel, source: string): void {
    this.chosenModel = { model, source };
    this.changed();
  }
}
