import { emptyGenresNote, featureSetProblem, segmentCount, type FeatureSet } from '../dataset/feature-set';
import { FEATURE_CHOICES, saveChoice, savedChoice, settingsOfChoice, type FeatureChoice } from '../dataset/feature-choices';
import type { GtzanSummary } from '../dataset/gtzan';
import { datasetProblem, extensionOf, genreNameNotes, genreOfPath, scanPaths } from '../dataset/scan';
import { settingsKey } from '../dsp/settings';
import { hashClips } from '../features/clip-hashes';
import { Extraction, type ExtractionProgress } from '../features/extraction';
import { createExtractionPool, type WorkerPool } from '../features/pool';
import type { ModelMetadata } from '../saving/metadata';
import { openLabDb, type StoredSession } from '../storage/db';
import { FeatureStore, pathOfKey } from '../storage/feature-store';
import { ActivityFlag } from './activity';
import { dataJsonBlob, loadGtzan, npzBlob, readLastSession } from './feature-files';
import { Store } from './store';
import { clipStatuses, decoderSummary, featureStatuses, rowsOf, withResults, type DatasetSummaryData, type GenreRow } from './summary-data';

/** Files chosen or dropped, each with its path under the chosen folder, and those that could not be read. */
export interface ChosenFiles {
  files: { path: string; file: File }[];
  unreadable: { path: string; reason: string }[];
}

/** The clip open in the inspector, with its audio when it is at hand. */
export interface InspectedClip {
  path: string;
  file?: File;
  /** The cached features (frames × coefficients), shown when the audio is not at hand. */
  segments: Float32Array[];
  /** Start playing once open (the Play buttons of the evaluation's error lists). */
  play?: boolean;
  /** Start explaining once open (the Explain buttons of the evaluation's error lists). */
  explain?: boolean;
}

/** The last dataset's features kept in this browser, with how many of its clips are still there. */
export type LastSession = StoredSession & { present: number; presentGenres: number };

/** Where the session keeps features and runs its workers; tests pass their own. */
export interface DatasetSessionDeps {
  openStore: () => Promise<FeatureStore>;
  createPool: (size?: number) => WorkerPool;
}

const defaults: DatasetSessionDeps = {
  openStore: () => openLabDb().then((db) => new FeatureStore(db)),
  createPool: createExtractionPool,
};

/**
 * Step 1 as a plain object: a dataset in and its features out. It extracts a chosen folder (or
 * reads a dropped data.json / .npz, or restores the last dataset's cached features), checks GTZAN
 * by its hashes, and exports the features; the page hears of new features through `onFeatures`.
 */
export class DatasetSession extends Store {
  progress: ExtractionProgress | undefined;
  running: Extraction | undefined;
  summary: DatasetSummaryData | undefined;
  features: FeatureSet | undefined;
  message = '';
  storageNote = '';
  lastSession: LastSession | undefined;
  /** What the session is doing that is not extraction (reading, restoring, writing), in words. */
  busy = '';
  inspecting: InspectedClip | undefined;
  choice: FeatureChoice = savedChoice();
  /** New features (or none), and whether they are GTZAN's. */
  onFeatures: (features: FeatureSet | undefined, gtzan: GtzanSummary | undefined) => void = () => undefined;

  private settings = settingsOfChoice(this.choice);
  /** The chosen files by path (empty for features that came without audio). */
  private files = new Map<string, File>();
  /** The last folder chosen, so a new feature choice can extract it again. */
  private chosen: ChosenFiles | undefined;
  /** The MD5 pass running now, if any; replacing it stops it. */
  private hashToken: object | undefined;
  private storeReady: Promise<FeatureStore> | undefined;
  private readonly activity = new ActivityFlag('feature extraction', () => this.cancel());
  private readonly deps: DatasetSessionDeps;

  constructor(deps: Partial<DatasetSessionDeps> = {}) {
    super();
    this.deps = { ...defaults, ...deps };
  }

  /** The feature settings the next extraction uses (the inspector's, before features are made). */
  get featureSettings() {
    return this.features?.settings ?? this.settings;
  }

  /** Opens the feature cache (once) and looks for the last dataset's features in it. */
  open(): Promise<FeatureStore> {
    this.storeReady ??= this.deps.openStore().then(async (store) => {
      this.storageNote = store.persistent
        ? ''
        : 'This browser does not allow storage here (a private window?): the lab works, but nothing will be kept after a reload.';
      await this.findLastSession(store);
      this.changed();
      return store;
    });
    return this.storeReady;
  }

  cancel(): void {
    this.running?.cancel();
  }

  /**
   * Extracts the folder in hand with these features (the feature choice, or a preset that needs
   * them): they are made, or restored from the cache; without a folder in hand, the next one is.
   */
  async useChoice(choice: FeatureChoice): Promise<void> {
    if (this.running || this.busy) return;
    this.choice = choice;
    saveChoice(this.choice);
    this.settings = settingsOfChoice(this.choice);
    this.changed();
    if (this.chosen) {
      await this.filesChosen(this.chosen);
    } else {
      this.lastSession = undefined;
      await this.findLastSession(await this.open());
      if (this.features) {
        const label = FEATURE_CHOICES.find((c) => c.id === choice)?.label ?? choice;
        this.message = `Choose the dataset folder again to extract it as ${label}: the features in hand were loaded or restored, not extracted from a folder this visit.`;
      }
      this.changed();
    }
  }

  /** A folder or files chosen: a lone data.json / .npz is read, anything else is scanned and extracted. */
  async filesChosen(chosen: ChosenFiles): Promise<void> {
    this.message = '';
    this.hashToken = undefined;
    // The last dataset's summary goes at once: nothing on screen describes the wrong dataset.
    this.summary = undefined;
    this.inspecting = undefined;
    this.files = new Map();
    this.chosen = undefined;
    this.changed();
    const { files, unreadable } = chosen;
    const isFeatures = (path: string) => extensionOf(path) === 'json' || extensionOf(path) === 'npz';
    const audioLike = files.filter((f) => !isFeatures(f.path));
    const json = files.filter((f) => isFeatures(f.path));
    if (json.length === 1 && files.length === 1) {
      await this.readFeatureFile(json[0].file, json[0].path);
      return;
    }
    this.chosen = chosen;
    const scan = scanPaths(audioLike.map((f) => ({ path: f.path, item: f.file })));
    this.files = new Map(scan.clips.map((c) => [c.path, c.item]));
    scan.setAside.push(...unreadable, ...json.map((f) => ({ path: f.path, reason: 'a data.json or .npz is read only when dropped on its own' })));
    const rows: GenreRow[] = scan.genres.map((genre) => {
      const mine = scan.clips.filter((c) => c.genre === genre);
      return { genre, clips: mine.length, bytes: mine.reduce((n, c) => n + c.item.size, 0) };
    });
    const root = files[0]?.path.split('/')[0] ?? '';
    const gtzanFacts = await loadGtzan();
    const gtzan = gtzanFacts.summarizeGtzan(scan.clips.map((c) => c.path));
    this.summary = {
      source: `Dataset${root ? ` “${root}”` : ''}: ${scan.clips.length} clips`, rows, setAside: scan.setAside, failures: [], notes: genreNameNotes(scan.genres),
      gtzanLine: gtzanFacts.recognitionLine(gtzan),
    };
    this.changed();
    const problem = datasetProblem(scan);
    if (problem) {
      this.message = problem;
      this.progress = undefined;
      this.changed();
      return;
    }
    const store = await this.open();
    const pool = this.deps.createPool();
    const run = new Extraction(scan, this.settings, { pool, store });
    this.running = run;
    this.changed();
    run.onProgress = (p) => {
      this.progress = p;
      this.changed();
    };
    let checkBytes: (() => Promise<void>) | undefined;
    try {
      const outcome = await run.run();
      this.summary = {
        ...this.summary,
        rows: withResults(rows, outcome.clips),
        failures: outcome.failures,
        finished: {
          cached: outcome.cached,
          extracted: outcome.clips.length - outcome.cached,
          cancelled: outcome.cancelled,
          elapsedSeconds: outcome.elapsedSeconds,
          decoders: decoderSummary(outcome.clips, this.settings),
        },
        clips: clipStatuses(scan.clips, outcome.clips, outcome.failures),
      };
      if (store.lastError) this.storageNote = `Storage failed (${store.lastError}): features are kept in memory only until you reload.`;
      this.offerFeatures(outcome.features, scan.genres, gtzan);
      if (gtzan.recognized) {
        const failed = outcome.failures.map((f) => f.path);
        const files = this.files;
        const check = (hashes: Map<string, string>, hashing?: { done: number; total: number }) => {
          // A dataset chosen since then has its own summary: leave it alone.
          if (this.summary && this.files === files) {
            this.summary = { ...this.summary, gtzanCheck: { ...gtzanFacts.checkGtzan(scan.clips.map((c) => ({ path: c.path, md5: hashes.get(c.path) })), failed), hashing } };
            this.changed();
          }
        };
        const toHash = scan.clips.filter((c) => gtzanFacts.gtzanId(c.path));
        check(new Map(), outcome.cancelled ? undefined : { done: 0, total: toHash.length });
        // Progress at most 4 times a second: each repaint costs the GPU process (see Extraction).
        let shown = 0;
        const progress = (done: number, total: number) => {
          if (done < total && performance.now() - shown < 250) return;
          shown = performance.now();
          check(new Map(), { done, total });
        };
        if (!outcome.cancelled) checkBytes = async () => check(await this.hashForCheck(toHash, pool, store, progress));
      }
    } finally {
      this.running = undefined;
      this.changed();
      if (!checkBytes) pool.terminate();
    }
    // After the features are offered, so training can start meanwhile.
    if (checkBytes) await checkBytes().finally(() => pool.terminate());
  }

  /** Opens a clip in the inspector (from the clip lists, or from the evaluation's error lists). */
  inspect(path: string, play = false, explain = false): void {
    this.inspecting = { path, play, explain, file: this.files.get(path), segments: this.features?.clips.find((c) => c.path === path)?.segments ?? [] };
    this.changed();
  }

  closeInspector(): void {
    this.inspecting = undefined;
    this.changed();
  }

  /** Restores the last dataset's features from the cache: those still kept, and says which are gone. */
  async restoreLast(): Promise<void> {
    const store = await this.open();
    const last = this.lastSession;
    if (!last) return;
    this.busy = 'Restoring the features of your last dataset…';
    this.message = '';
    // Restored features come without their audio: the inspector says so.
    this.files = new Map();
    this.inspecting = undefined;
    this.changed();
    try {
      const { set, missing, gtzan, summary } = await readLastSession(store, last, this.settings);
      this.summary = summary;
      if (missing.length) {
        this.message = `${missing.length} of the ${last.clipKeys.length} clips of your last dataset are no longer kept in this browser (listed below): choose the dataset folder again to extract them.`;
      }
      this.offerFeatures(set, last.genres, gtzan);
    } finally {
      this.busy = '';
      this.changed();
    }
  }

  /** The features as NumPy arrays, with the split of the last training run (`lastSplit`) when it was made on them. */
  async exportNpz(lastSplit: ModelMetadata['split'] | undefined): Promise<Blob | undefined> {
    const set = this.features;
    if (!set) return undefined;
    return this.writing(`Writing features.npz (${segmentCount(set)} segments)…`, () => npzBlob(set, lastSplit));
  }

  /** The features as the recipe's data.json. */
  async exportDataJson(): Promise<Blob | undefined> {
    const set = this.features;
    if (!set) return undefined;
    return this.writing(`Writing data.json (${segmentCount(set)} segments)…`, () => dataJsonBlob(set));
  }

  async clearCache(): Promise<void> {
    const store = await this.open();
    await store.clear();
    this.lastSession = undefined;
    this.busy = '';
    this.message = '';
    this.storageNote = store.persistent ? 'Cached features cleared.' : this.storageNote;
    this.changed();
  }

  protected override changed(): void {
    const p = this.progress;
    this.activity.set(!!this.running, p ? `${p.done}/${p.total} clips${p.failed ? `, ${p.failed} failed` : ''}` : '');
    super.changed();
  }

  private async writing<T>(busy: string, work: () => Promise<T>): Promise<T> {
    this.busy = busy;
    this.changed();
    try {
      return await work();
    } finally {
      this.busy = '';
      this.changed();
    }
  }

  /** The last dataset's features kept in this browser, when they were made with today's choice. */
  private async findLastSession(store: FeatureStore): Promise<void> {
    const last = await store.lastSession();
    const key = settingsKey(this.settings);
    if (last && last.settingsKey === key && last.clipKeys.length > 0) {
      // Count what is really still stored: another tab or the browser may have removed some.
      const present = [...(await store.presentKeys(last.clipKeys))];
      const presentGenres = new Set(present.map((k) => genreOfPath(pathOfKey(k)))).size;
      if (settingsKey(this.settings) === key) this.lastSession = { ...last, present: present.length, presentGenres };
    } else {
      this.lastSession = undefined;
    }
  }

  /** The MD5 pass of GTZAN's dataset check; a new dataset chosen meanwhile stops it. */
  private hashForCheck(clips: { path: string; item: File }[], pool: WorkerPool, store: FeatureStore, onProgress: (done: number, total: number) => void) {
    const token = {};
    this.hashToken = token;
    return hashClips(clips, { pool, store }, onProgress, () => this.hashToken !== token);
  }

  /** A dropped data.json or .npz, read in a worker. */
  private async readFeatureFile(file: File, path: string) {
    this.busy = `Reading ${path}…`;
    this.changed();
    const pool = this.deps.createPool(1);
    try {
      const r = await pool.run({ kind: 'data-json', id: 0, file, format: extensionOf(path) === 'npz' ? 'npz' : 'json' });
      if (!r.ok) {
        this.message = `${path}: ${r.error}`;
        return;
      }
      if (r.kind !== 'data-json') return;
      const set: FeatureSet = { settings: r.settings, genres: r.genres, frames: r.frames, coefficients: r.coefficients, clips: r.clips };
      this.progress = undefined;
      const facts = await loadGtzan();
      const gtzan = facts.summarizeGtzan(set.clips.map((c) => c.path));
      this.summary = {
        source: `Features from ${path}: ${set.clips.length} clips, ${set.frames} frames × ${set.coefficients} coefficients per segment`,
        rows: rowsOf(set),
        setAside: [],
        failures: [],
        notes: genreNameNotes(set.genres),
        gtzanLine: facts.recognitionLine(gtzan),
        gtzanCheck: gtzan.recognized ? facts.checkGtzan(set.clips, []) : undefined,
        clips: featureStatuses(set),
      };
      if (set.clips.every((c) => c.path.startsWith('segment-'))) {
        this.message = `${path} has no "files" list: each segment counts as its own clip, so the by-clip split cannot keep a clip's segments together.`;
      }
      void this.setFeatures(set, gtzan);
    } finally {
      pool.terminate();
      this.busy = '';
      this.changed();
    }
  }

  /** Passes features on only when they can train a classifier; says why not, or which genres gave nothing. */
  private offerFeatures(set: FeatureSet, expectedGenres: readonly string[], gtzan?: GtzanSummary) {
    const problem = featureSetProblem(set, expectedGenres);
    const note = problem ?? emptyGenresNote(set, expectedGenres);
    if (note) this.message = this.message ? `${this.message} ${note}` : note;
    void this.setFeatures(problem ? undefined : set, gtzan);
  }

  /** Tells the page about new features, and whether they are GTZAN's (by the clips that gave them). */
  private async setFeatures(set: FeatureSet | undefined, gtzan?: GtzanSummary) {
    this.features = set;
    this.changed();
    const summary = set ? gtzan ?? (await loadGtzan()).summarizeGtzan(set.clips.map((c) => c.path)) : undefined;
    if (this.features !== set) return;
    this.onFeatures(set, summary);
  }
}
