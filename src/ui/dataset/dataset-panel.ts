import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { dataJsonChunks } from '../../dataset/data-json';
import { emptyGenresNote, featureSetProblem, genresWithSegments, segmentCount, type ClipFeatures, type FeatureSet } from '../../dataset/feature-set';
import { datasetProblem, extensionOf, genreNameNotes, genreOfPath, scanPaths } from '../../dataset/scan';
import { coefficientsPerFrame, framesPerSegment, settingsKey } from '../../dsp/settings';
import { FEATURE_CHOICES, saveChoice, savedChoice, settingsOfChoice, type FeatureChoice } from '../../dataset/feature-choices';
import { Extraction, type ExtractionProgress } from '../../features/extraction';
import { createExtractionPool, defaultPoolSize, type WorkerPool } from '../../features/pool';
import { openLabDb, type StoredSession } from '../../storage/db';
import { hashClips } from '../../features/clip-hashes';
import type { ClipInfo } from '../../features/extraction';
import { FeatureStore, fromStored, hashKeyOfClipKey, pathOfKey } from '../../storage/feature-store';
import type { GtzanSummary } from '../../dataset/gtzan';
import type { ModelMetadata } from '../../model/files/metadata';
import type { ModelFiles } from '../../model/files/artifacts';
import { ActivityFlag } from '../../app/activity';
import './clip-inspector';
import type { InspectedClip } from './clip-inspector';
import './dataset-input';
import type { FilesChosenDetail } from './dataset-input';
import './dataset-summary';
import { decoderSummary, rowsOf, withResults, type DatasetSummaryData, type GenreRow } from './dataset-summary';
import { downloadBlob, nextFrame } from '../shared/download';
import './extraction-progress';
import { panelStyles } from '../shared/styles';

/**
 * Step 1: get a dataset in and turn it into features. Owns the feature cache and the extraction
 * run; tells the page about new features with a `features-changed` event.
 */
@customElement('dataset-panel')
export class DatasetPanel extends LitElement {
  static override styles = panelStyles;

  @state() private progress: ExtractionProgress | undefined;
  @state() private running: Extraction | undefined;
  @state() private summary: DatasetSummaryData | undefined;
  @state() private features: FeatureSet | undefined;
  @state() private message = '';
  @state() private storageNote = '';
  @state() private lastSession: (StoredSession & { present: number; presentGenres: number }) | undefined;
  @state() private busy = '';
  /** The clip open in the inspector, and the chosen files by path (absent for cached features). */
  @state() private inspecting: InspectedClip | undefined;
  private files = new Map<string, File>();
  /** The split of the last trained model (set by the page), exported with the .npz. */
  @property({ attribute: false }) lastSplit: ModelMetadata['split'] | undefined;
  /** The page's model, for the inspector's explanations. */
  @property({ attribute: false }) model: { files: ModelFiles; metadata: ModelMetadata } | undefined;
  private storeReady: Promise<FeatureStore> | undefined;
  @state() private choice: FeatureChoice = savedChoice();
  private settings = settingsOfChoice(this.choice);
  /** The last folder chosen, so a new feature choice can extract it again. */
  private chosen: FilesChosenDetail | undefined;
  /** The MD5 pass running now, if any; replacing it stops it. */
  private hashToken: object | undefined;
  private readonly activity = new ActivityFlag('feature extraction', () => this.running?.cancel());

  protected override willUpdate(): void {
    const p = this.progress;
    this.activity.set(!!this.running, p ? `${p.done}/${p.total} clips${p.failed ? `, ${p.failed} failed` : ''}` : '');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.openStore();
  }

  private openStore(): Promise<FeatureStore> {
    this.storeReady ??= openLabDb().then(async (db) => {
      const store = new FeatureStore(db);
      this.storageNote = store.persistent
        ? ''
        : 'This browser does not allow storage here (a private window?): the lab works, but nothing will be kept after a reload.';
      await this.findLastSession(store);
      return store;
    });
    return this.storeReady;
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

  /**
   * A new feature choice: the folder in hand is extracted again with it (features cached under
   * the other choice stay cached); without one, the choice applies to the next folder.
   */
  private async onChoice(e: Event) {
    await this.useChoice((e.target as HTMLSelectElement).value as FeatureChoice);
  }

  /**
   * Extracts the folder in hand with these features (a preset that needs them asks): they are
   * made, or restored from the cache; without a folder in hand, the next one is made so.
   */
  async useChoice(choice: FeatureChoice): Promise<void> {
    if (this.running || this.busy) return;
    this.choice = choice;
    saveChoice(this.choice);
    this.settings = settingsOfChoice(this.choice);
    if (this.chosen) {
      await this.onFilesChosen(new CustomEvent('files-chosen', { detail: this.chosen }));
    } else {
      this.lastSession = undefined;
      await this.findLastSession(await this.openStore());
      if (this.features) {
        const label = FEATURE_CHOICES.find((c) => c.id === choice)?.label ?? choice;
        this.message = `Choose the dataset folder again to extract it as ${label}: the features in hand were loaded or restored, not extracted from a folder this visit.`;
      }
    }
  }

  override render() {
    return html`
      <section class="panel" aria-labelledby="dataset-heading">
        <h2 id="dataset-heading">1. Dataset and features</h2>
        <p class="row"><label>Features
          <select ?disabled=${!!this.running || !!this.busy} @change=${this.onChoice}>
            ${FEATURE_CHOICES.map((c) => html`<option value=${c.id} ?selected=${c.id === this.choice}>${c.label}</option>`)}
          </select></label></p>
        <dataset-input ?disabled=${!!this.running || !!this.busy} @files-chosen=${this.onFilesChosen}></dataset-input>
        ${this.lastSession && !this.features && !this.running ? html`
          <p class="row" data-testid="restore-offer">${this.restoreOffer(this.lastSession)}
            <button @click=${this.restoreLast}>Restore last dataset</button></p>` : ''}
        ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
        ${this.storageNote ? html`<p class="warning" role="status">${this.storageNote}</p>` : ''}
        ${this.busy ? html`<p role="status">${this.busy}</p>` : ''}
        <extraction-progress .progress=${this.progress} ?running=${!!this.running} .workers=${defaultPoolSize()}
          @cancel=${() => this.running?.cancel()}></extraction-progress>
        <dataset-summary .data=${this.summary} @inspect-clip=${this.onInspect}></dataset-summary>
        <clip-inspector .clip=${this.inspecting} .settings=${this.features?.settings ?? this.settings} .model=${this.model}
          @close=${() => (this.inspecting = undefined)}></clip-inspector>
        <div class="row">
          <button class="secondary" ?disabled=${!this.features || !!this.running || !!this.busy} @click=${this.exportFeatures}>Export features</button>
          <button class="secondary" ?disabled=${!this.features || !!this.running || !!this.busy} @click=${this.exportNpz}>Export .npz (NumPy)</button>
          <button class="secondary" ?disabled=${!!this.running} @click=${this.clearCache}>Clear cached features</button>
        </div>
      </section>
    `;
  }

  private async onFilesChosen(e: CustomEvent<FilesChosenDetail>) {
    this.message = '';
    this.hashToken = undefined;
    // The last dataset's summary goes at once: nothing on screen describes the wrong dataset.
    this.summary = undefined;
    this.inspecting = undefined;
    this.files = new Map();
    this.chosen = undefined;
    const { files, unreadable } = e.detail;
    const isFeatures = (path: string) => extensionOf(path) === 'json' || extensionOf(path) === 'npz';
    const audioLike = files.filter((f) => !isFeatures(f.path));
    const json = files.filter((f) => isFeatures(f.path));
    if (json.length === 1 && files.length === 1) {
      await this.loadDataJson(json[0].file, json[0].path);
      return;
    }
    this.chosen = e.detail;
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
    const problem = datasetProblem(scan);
    if (problem) {
      this.message = problem;
      this.progress = undefined;
      return;
    }
    const store = await this.openStore();
    const pool = createExtractionPool();
    const run = new Extraction(scan, this.settings, { pool, store });
    this.running = run;
    run.onProgress = (p) => (this.progress = p);
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
      if (!checkBytes) pool.terminate();
    }
    // After the features are offered, so training can start meanwhile.
    if (checkBytes) await checkBytes().finally(() => pool.terminate());
  }

  private onInspect(e: CustomEvent<{ path: string }>) {
    this.inspect(e.detail.path);
  }

  /** Opens a clip in the inspector (from the clip lists here, or from the evaluation's error lists). */
  inspect(path: string, play = false, explain = false): void {
    this.inspecting = { path, play, explain, file: this.files.get(path), segments: this.features?.clips.find((c) => c.path === path)?.segments ?? [] };
    void this.updateComplete.then(() => this.renderRoot.querySelector('clip-inspector')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  }

  /** The MD5 pass of GTZAN's dataset check; a new dataset chosen meanwhile stops it. */
  private hashForCheck(clips: { path: string; item: File }[], pool: WorkerPool, store: FeatureStore, onProgress: (done: number, total: number) => void) {
    const token = {};
    this.hashToken = token;
    return hashClips(clips, { pool, store }, onProgress, () => this.hashToken !== token);
  }

  private async loadDataJson(file: File, path: string) {
    this.busy = `Reading ${path}…`;
    const pool = createExtractionPool(1);
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
    }
  }

  private restoreOffer(last: StoredSession & { present: number; presentGenres: number }): string {
    const total = last.clipKeys.length;
    if (last.present === total) return `Features of your last dataset are kept in this browser (${total} clips, ${last.genres.length} genres).`;
    return `Features of your last dataset are partly kept in this browser: ${last.present} of its ${total} clips (${last.presentGenres} of ${last.genres.length} genres); `
      + `the others were removed from storage (in another tab, or by the browser to free space).`;
  }

  private async restoreLast() {
    const store = await this.openStore();
    const last = this.lastSession;
    if (!last) return;
    this.busy = 'Restoring the features of your last dataset…';
    this.message = '';
    // Restored features come without their audio: the inspector says so.
    this.files = new Map();
    this.inspecting = undefined;
    try {
      const clips: ClipFeatures[] = [];

      const missing: string[] = [];
      for (const key of last.clipKeys) {
        const s = await store.get(key);
        if (s && s.count > 0) clips.push(fromStored(s));
        else missing.push(pathOfKey(key));
      }
      const facts = await loadGtzan();
      const gtzan = facts.summarizeGtzan(clips.map((c) => c.path));
      const hashes = await store.hashes();
      const hashOf = new Map(last.clipKeys.map((k) => [pathOfKey(k), hashes.get(hashKeyOfClipKey(k))]));
      const set: FeatureSet = {
        settings: this.settings, genres: genresWithSegments(last.genres, clips), frames: framesPerSegment(this.settings), coefficients: coefficientsPerFrame(this.settings), clips,
      };
      this.summary = {
        source: `Restored from this browser: ${clips.length} of ${last.clipKeys.length} clips`,
        rows: rowsOf(set),
        setAside: [],
        failures: missing.map((path) => ({ path, reason: 'no longer kept in this browser (removed in another tab, or evicted to free space)' })),
        gtzanLine: facts.recognitionLine(gtzan),
        gtzanCheck: gtzan.recognized ? facts.checkGtzan(clips.map((c) => ({ path: c.path, md5: hashOf.get(c.path) })), []) : undefined,
        clips: featureStatuses(set),
      };
      if (missing.length) {
        this.message = `${missing.length} of the ${last.clipKeys.length} clips of your last dataset are no longer kept in this browser (listed below): choose the dataset folder again to extract them.`;
      }
      this.offerFeatures(set, last.genres, gtzan);
    } finally {
      this.busy = '';
    }
  }

  /** The features as NumPy arrays, with the split of the last training run on them when there is one. */
  private async exportNpz() {
    const set = this.features;
    if (!set) return;
    this.busy = `Writing features.npz (${segmentCount(set)} segments)…`;
    await nextFrame();
    try {
      const { featuresToNpz } = await import('../../dataset/npz');
      const run = this.lastSplit;
      const mine = new Set(set.clips.map((c) => c.path));
      const split = run && [...run.testClipNames, ...(run.trainClipNames ?? [])].some((p) => mine.has(p))
        ? { train: run.trainClipNames ?? [], validation: run.validationClipNames ?? [], test: run.testClipNames, info: { mode: run.mode, seed: run.seed, sizes: run.sizes } }
        : undefined;
      downloadBlob(new Blob([featuresToNpz(set, split) as BlobPart], { type: 'application/zip' }), 'features.npz');
    } finally {
      this.busy = '';
    }
  }

  private async exportFeatures() {
    const set = this.features;
    if (!set) return;
    this.busy = `Writing data.json (${segmentCount(set)} segments)…`;
    try {
      const parts: string[] = [];
      let n = 0;
      for (const chunk of dataJsonChunks(set)) {
        parts.push(chunk);
        // Yield now and then: GTZAN's data.json is ~10 000 segments of text.
        if (++n % 200 === 0) await nextFrame();
      }
      downloadBlob(new Blob(parts, { type: 'application/json' }), 'data.json');
    } finally {
      this.busy = '';
    }
  }

  private async clearCache() {
    const store = await this.openStore();
    await store.clear();
    this.lastSession = undefined;
    this.busy = '';
    this.message = '';
    this.storageNote = store.persistent ? 'Cached features cleared.' : this.storageNote;
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
    const summary = set ? gtzan ?? (await loadGtzan()).summarizeGtzan(set.clips.map((c) => c.path)) : undefined;
    if (this.features !== set) return;
    this.dispatchEvent(new CustomEvent('features-changed', { detail: { features: set, gtzan: summary }, bubbles: true, composed: true }));
  }
}

/** Each chosen clip's status after extraction, for the summary's clip lists. */
function clipStatuses(
  clips: readonly { path: string; genre: string }[], infos: readonly ClipInfo[], failures: readonly { path: string; reason: string }[],
): { path: string; genre: string; status: string }[] {
  const info = new Map(infos.map((i) => [i.path, i]));
  const failed = new Map(failures.map((f) => [f.path, f.reason]));
  return clips.map((c) => {
    const i = info.get(c.path);
    const status = failed.has(c.path) ? `failed: ${failed.get(c.path)}` : i ? `${i.segments} segments${i.fromCache ? ', from the cache' : ''}` : 'not extracted';
    return { path: c.path, genre: c.genre, status };
  });
}

/** Clips of features that arrived without their audio (a data.json, or restored), for the clip lists. */
function featureStatuses(set: FeatureSet): { path: string; genre: string; status: string }[] {
  return set.clips.map((c) => ({ path: c.path, genre: c.genre, status: `${c.segments.length} segments (features only)` }));
}

/** GTZAN's names, lists and hashes (~40 kB), loaded when a dataset is chosen rather than with the page. */
function loadGtzan(): Promise<typeof import('../../dataset/gtzan')> {
  return import('../../dataset/gtzan');
}

declare global {
  interface HTMLElementTagNameMap {
    'dataset-panel': DatasetPanel;
  }
}
