import type { FeatureSet } from '../dataset/feature-set';
import { segmentCount } from '../dataset/feature-set';
import type { ModelFiles } from '../saving/artifacts';
import { toTrainingData } from '../dataset/training-data';
import type { LayerRow } from '../model/architectures/build';
import type { Evaluation } from '../evaluation/evaluate';
import type { ModelMetadata } from '../saving/metadata';
import type { BatchReport, EpochReport } from '../model/training/session';
import type { TrainEvent, TrainRequest } from '../model/training/train-protocol';
import { openLabDb } from '../storage/db';
import { LatestWriter } from '../storage/latest-writer';
import { holdRunLock, isCheckpoint, ModelStore, newRunId, whenRunEnds, type StoredModel } from '../storage/model-store';
import type { RunRecord } from '../storage/run-store';
import { noteEnded } from './activity';
import { Store } from './store';
import { describeDivergence, type Divergence } from '../model/optimizers/epoch-policy';
import { featureLabel } from '../dsp/settings';
import { augmentOn } from '../model/data/augment';
import { MODEL_NAMES, sessionOptionsOf, trainOf, type TrainingSettings } from './training-settings';
import { compareReRun, runIdentity } from '../model/training/reproduce';
import { dataFingerprint } from '../model/data/fingerprint';

/** The trained model the page holds: files to download or classify with, and what describes them. */
export interface TrainedModel {
  files: ModelFiles;
  metadata: ModelMetadata;
  evaluation?: Evaluation;
}

/** A batch's report placed on the curves' x axis (epochs, fractional). */
export interface BatchPoint extends BatchReport {
  x: number;
}

/** The worker a run talks to: the page's trainer client, or a stand-in in tests. */
export interface TrainerPort {
  send(request: TrainRequest, transfer?: Transferable[]): void;
  dispose(): void;
}

/** Starts a trainer whose events go to `onEvent`. */
export type TrainerFactory = (onEvent: (e: TrainEvent) => void) => TrainerPort;

/** What the run in progress started from, for its record in the Runs section. */
interface RunStart {
  id: string;
  at: number;
  settings: TrainingSettings;
  features: FeatureSet;
  splitSizes: string | undefined;
  /** The run this one repeats, to be checked against when it ends. */
  rerunOf?: RunRecord;
}

/**
 * Step 2's training, in one plain object that the panel's views read: the run in progress (its
 * worker, curves and checkpoints), the model it made, and the models kept from earlier visits. No
 * DOM: views subscribe and draw, and the page hears of new models and ended runs through the
 * `onModel` and `onRunEnded` callbacks.
 */
export class TrainingRun extends Store {
  running = false;
  stopping = false;
  backend: { name: string; note: string } | undefined;
  /** How many threads share each batch of the run in progress (1: the training worker alone). */
  threads = 1;
  /** The engine training the run in progress, and why (chooseEngine's sentence); empty until the worker says. */
  engine = '';
  /** Epochs the run in progress (or the last one) was asked for. */
  epochsPlanned = 0;
  /** The run in progress stops early (epochs without a lower validation loss; 0: it does not, and keeps its last epoch). */
  earlyStopping = 0;
  batches: BatchPoint[] = [];
  epochs: EpochReport[] = [];
  summaryRows: LayerRow[] = [];
  params = 0;
  model: TrainedModel | undefined;
  message = '';
  /** When the last run repeated a kept one: whether it made that run's weights, in words. */
  rerunCheck: { matched: boolean; text: string } | undefined;
  /** The model kept from the last finished run, offered back after a reload. */
  saved: StoredModel | undefined;
  /** The latest epoch's model of this run, or of an interrupted one (offered back). */
  checkpoint: StoredModel | undefined;
  /** How the last run diverged, when it did: the message says so, and the model (if any) is of an earlier epoch. */
  diverged: Divergence | undefined;

  onModel: (model: TrainedModel | undefined) => void = () => undefined;
  onRunEnded: (run: RunRecord, model?: TrainedModel) => void = () => undefined;

  private trainer: TrainerPort | undefined;
  private endRun: (() => void) | undefined;
  private start: RunStart | undefined;
  private readonly store: Promise<ModelStore>;

  /** `startTrainer`: how a run gets its worker (the page passes its trainer client). */
  constructor(private readonly startTrainer: TrainerFactory, store: Promise<ModelStore> = openLabDb().then((db) => new ModelStore(db))) {
    super();
    this.store = store;
  }

  /** Loads the model kept from last time and offers an interrupted run's checkpoint. */
  async load(): Promise<void> {
    const s = await this.store;
    this.saved = await s.load('last');
    this.changed();
    await this.offerInterrupted(s);
    // A run still going (in another tab, or this tab's page before a reload, releasing its lock)
    // is offered once it ends without finishing.
    for (const id of await s.liveCheckpoints()) void whenRunEnds(id).then(() => this.offerInterrupted(s));
  }

  /** Shows which backend a worker chose (a speed estimate's worker tells it before any run). */
  noteBackend(name: string, note: string): void {
    this.backend = { name, note };
    this.changed();
  }

  /** Trains on the features with the settings; `rerunOf`: a kept run these settings repeat, whose weights this run is checked against. */
  async train(features: FeatureSet, settings: TrainingSettings, splitSizes: string | undefined, rerunOf?: RunRecord): Promise<void> {
    if (this.running) return;
    const s = settings;
    const options = sessionOptionsOf(s);
    const data = toTrainingData(features);
    Object.assign(this, {
      running: true,
      stopping: false,
      message: '',
      rerunCheck: undefined,
      diverged: undefined,
      batches: [],
      epochs: [],
      model: undefined,
      epochsPlanned: s.epochs,
      earlyStopping: s.earlyStopping ?? 0,
    });
    this.changed();
    this.onModel(undefined);
    const store = await this.store;
    // This run's checkpoints are its own; those of runs no tab runs any more give way to it, as
    // the one interrupted checkpoint always did, while other tabs' running runs keep theirs.
    for (const id of await store.interruptedCheckpoints()) await store.remove(id);
    this.checkpoint = undefined;
    const runId = newRunId();
    this.start = { id: runId, at: performance.now(), settings: { ...s }, features, splitSizes, rerunOf };
    const runEnded = new Promise<void>((r) => (this.endRun = r));
    await holdRunLock(runId, runEnded);
    const checkpoints = new LatestWriter<StoredModel>((m) => store.save(m));
    const client = this.startTrainer((e) => void this.onEvent(e, store, runId, checkpoints));
    this.trainer = client;
    client.send({ type: 'train', data, options, features: features.settings, backend: s.backend, threads: s.threads }, [
      data.x.buffer,
      data.labels.buffer,
      data.clipOf.buffer,
    ]);
  }

  /**
   * Trains a kept run again with its settings (`settings`, already loaded) and checks the weights
   * against its own; refused before any work when the features are not the ones it trained on.
   */
  async rerun(features: FeatureSet | undefined, settings: TrainingSettings, run: RunRecord): Promise<void> {
    if (this.running) return;
    const want = run.identity?.dataFingerprint;
    if (!features || (want && dataFingerprint(toTrainingData(features)) !== want)) {
      this.message =
        `“${run.name}” cannot be re-run ${features ? 'on these features: they are not the ones it trained on' : 'before its features are loaded'}. ` +
        `Load its dataset (${run.dataset.name}, ${run.dataset.clips} clips) with the same feature settings first.`;
      this.changed();
      return;
    }
    await this.train(features, settings, undefined, run);
  }

  stop(): void {
    this.stopping = true;
    this.trainer?.send({ type: 'stop' });
    this.changed();
  }

  restore(m: StoredModel): void {
    this.diverged = undefined;
    this.model = { files: m.files, metadata: m.metadata, evaluation: m.evaluation };
    if (isCheckpoint(m.id)) this.message = `Restored the model after epoch ${m.epoch} of ${m.epochs}; it was not evaluated on the test split.`;
    this.changed();
    this.onModel(this.model);
  }

  /** A simulated GPU reset, for browser tests (?debug). */
  loseWebGLContext(): void {
    this.trainer?.send({ type: 'lose-webgl-context' });
  }

  dispose(): void {
    this.trainer?.dispose();
  }

  private async onEvent(e: TrainEvent, store: ModelStore, runId: string, checkpoints: LatestWriter<StoredModel>) {
    switch (e.type) {
      case 'backend':
        this.backend = { name: e.name, note: e.note };
        break;
      case 'threads':
        this.threads = e.count;
        this.engine = e.reason ?? '';
        break;
      case 'summary':
        this.summaryRows = e.rows;
        this.params = e.params;
        break;
      case 'progress': {
        const r = e.batch;
        if (r) this.batches = [...this.batches, { ...r, x: r.epoch - 1 + r.batch / r.batches }];
        if (e.epochs.length) this.epochs = [...this.epochs, ...e.epochs];
        const last = e.epochs[e.epochs.length - 1];
        if (e.checkpoint && last) {
          this.checkpoint = {
            id: `checkpoint:${runId}`,
            savedAt: Date.now(),
            files: e.checkpoint.files,
            metadata: e.checkpoint.metadata,
            epoch: last.epoch,
            epochs: last.epochs,
          };
          checkpoints.offer(this.checkpoint);
        }
        break;
      }
      case 'done': {
        // The run's lock is let go once its checkpoint is gone, so no tab offers that checkpoint.
        const endRun = this.endRun;
        this.endRun = undefined;
        this.finish();
        this.diverged = e.diverged;
        if (e.diverged && !e.diverged.keptEpoch) {
          // Nothing finite to keep: no model, and the checkpoints are of weights that gave NaN too.
          await checkpoints.close();
          await store.remove(`checkpoint:${runId}`);
          this.checkpoint = undefined;
          endRun?.();
          this.message = divergedMessage(e.diverged, this.epochsPlanned);
          noteEnded(`Training ${describeDivergence(e.diverged, this.epochsPlanned)}.`);
          this.ended('diverged', e.metadata);
          break;
        }
        this.model = { files: e.files, metadata: e.metadata, evaluation: e.evaluation };
        this.changed();
        const kept = await store.save({ id: 'last', savedAt: Date.now(), files: e.files, metadata: e.metadata, evaluation: e.evaluation });
        // No checkpoint write may land after its removal.
        await checkpoints.close();
        await store.remove(`checkpoint:${runId}`);
        this.checkpoint = undefined;
        endRun?.();
        this.saved = undefined;
        if (!kept) this.message = 'The model could not be kept in this browser (storage unavailable): download it to keep it.';
        if (e.stopped)
          this.message = `Stopped after ${e.history.length} complete epoch${e.history.length === 1 ? '' : 's'}; the evaluation below is of the model as it was when stopped.`;
        if (e.diverged) {
          this.message = divergedMessage(e.diverged, this.epochsPlanned);
          noteEnded(`Training ${describeDivergence(e.diverged, this.epochsPlanned)}.`);
        }
        this.onModel(this.model);
        this.ended(e.diverged ? 'diverged' : e.stopped ? 'stopped' : 'finished', e.metadata, this.model);
        break;
      }
      case 'error': {
        if (!this.running) break;
        await checkpoints.flush();
        this.finish();
        const epoch = this.checkpoint?.epoch;
        this.message = `Training stopped: ${e.message}. Your features are kept${epoch ? `, and so is the model after epoch ${epoch} (Restore checkpoint)` : ''}.`
          + (/WebGL/.test(e.message) ? ' Choose the WASM backend to carry on without the GPU.' : '');
        this.ended('failed', this.checkpoint?.metadata);
        break;
      }
      default:
        return;
    }
    this.changed();
  }

  /** Offers the newest checkpoint of a run no tab runs any more, unless a run is going here. */
  private async offerInterrupted(s: ModelStore) {
    if (this.running) return;
    const interrupted = await s.interruptedCheckpoints();
    const newest = interrupted[interrupted.length - 1];
    if (newest && newest !== this.checkpoint?.id) {
      this.checkpoint = await s.load(newest);
      this.changed();
    }
  }

  private finish() {
    this.endRun?.();
    this.endRun = undefined;
    this.trainer?.dispose();
    this.trainer = undefined;
    this.running = false;
    this.stopping = false;
  }

  /** Tells the page that a run ended, as the Runs section keeps it (with its model, when it has one). */
  private ended(status: RunRecord['status'], metadata: ModelMetadata | undefined, model?: TrainedModel) {
    const start = this.start;
    if (!start) return;
    const f = start.features;
    const s = start.settings;
    const identity = model && status === 'finished' ? runIdentity(model.metadata, model.files.weights) : undefined;
    const repeated = start.rerunOf;
    const check = identity && repeated?.identity ? compareReRun(repeated.identity, identity) : undefined;
    if (repeated) {
      const why = check ? check.why : status === 'finished' ? 'that run kept nothing to compare its weights with' : `this run ${status} before its end`;
      this.rerunCheck = { matched: check?.matched ?? false, text: `Re-run of “${repeated.name}”: ${why}.` };
    }
    this.onRunEnded({
      id: `run:${start.id}`,
      savedAt: Date.now(),
      name: `${(s.model ?? 'lstm') === 'lstm' ? `${s.lstmUnits} units` : `${MODEL_NAMES[s.model].replace(/ \(.*/, '')}, ${s.filters} filters`}, lr ${s.learningRate}, batch ${s.batchSize}, ${s.split} split, ${featureLabel(f.settings)}${augmentOn(trainOf(s).augment) ? ', augmented' : ''}`,
      status,
      settings: { ...s },
      split: { mode: s.split, seed: s.seed, sizes: metadata?.split.sizes ?? start.splitSizes ?? s.split },
      dataset: { name: f.clips[0]?.path.split('/')[0] ?? '', clips: f.clips.length, segments: segmentCount(f), genres: f.genres.length },
      epochs: this.epochs,
      metrics: model?.metadata.metrics ?? null,
      backend: this.backend?.name ?? s.backend,
      seconds: (performance.now() - start.at) / 1000,
      modelBytes: 0,
      ...(identity ? { identity } : {}),
      ...(repeated && check ? { rerunOf: { id: repeated.id, name: repeated.name, ...check } } : {}),
    }, model);
  }
}

/** The page's words for a diverged run: what happened, what is kept, and what usually helps. */
function divergedMessage(d: Divergence, epochs: number): string {
  const kept = d.keptEpoch ? ` The evaluation below is of epoch ${d.keptEpoch}'s model.` : ' No model was kept.';
  return `Training ${describeDivergence(d, epochs)}.${kept} A lower learning rate, or standardised features, usually keeps the numbers finite.`;
}
