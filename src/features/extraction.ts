import { genresWithSegments, type ClipFeatures, type FeatureSet } from '../dataset/feature-set';
import { extensionOf, type ScanResult } from '../dataset/scan';
import type { MfccEngineName } from '../dsp/mfcc-engine';
import { coefficientsPerFrame, framesPerSegment, settingsKey, type FeatureSettings } from '../dsp/settings';
import { clipKey, fromStored, toStored, type FeatureStore } from '../storage/feature-store';
import { clipRequest, type ClipJob } from './clip-request';
import type { WorkerPool } from './pool';

export interface ExtractionProgress {
  total: number;
  done: number;
  cached: number;
  failed: number;
  /** Clips per second over the clips actually extracted (cache hits excluded). */
  clipsPerSecond: number;
  secondsLeft: number | undefined;
}

export interface ClipFailure {
  path: string;
  reason: string;
}

export interface ClipInfo {
  path: string;
  genre: string;
  seconds: number;
  segments: number;
  encoding: string;
  fromCache: boolean;
  /** The MFCC engine that computed the clip; absent for cache hits. */
  engine?: MfccEngineName;
}

export interface ExtractionOutcome {
  features: FeatureSet;
  clips: ClipInfo[];
  failures: ClipFailure[];
  cached: number;
  cancelled: boolean;
  elapsedSeconds: number;
}

export interface ExtractionDeps {
  pool: WorkerPool;
  store: FeatureStore;
  now?: () => number;
  /**
   * Least time between progress reports, except the first, the last and the one after the cache
   * pass. Every report repaints the page; reporting each clip cost the GPU process ~20 ms of CPU
   * per clip on software rendering (measured), a fifth of the extraction's CPU, and a live region
   * that changes 40 times a second is noise to a screen reader.
   */
  progressIntervalMs?: number;
}

/**
 * Turns a scanned dataset into features: cache hits come from the store, misses are read here (or
 * decoded by the browser, for formats src/dsp does not read) and computed by the worker pool,
 * every result is stored as soon as it arrives, and one bad clip never stops the rest.
 */
export class Extraction {
  onProgress: (p: ExtractionProgress) => void = () => {};
  private cancelled = false;
  private cancelResolve: (() => void) | undefined;

  constructor(
    private readonly scan: ScanResult<File>,
    private readonly settings: FeatureSettings,
    private readonly deps: ExtractionDeps,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.cancelResolve?.();
  }

  async run(): Promise<ExtractionOutcome> {
    const now = this.deps.now ?? (() => performance.now());
    const started = now();
    const sKey = settingsKey(this.settings);
    const total = this.scan.clips.length;
    const results: (ClipFeatures | undefined)[] = new Array(total);
    const infos: (ClipInfo | undefined)[] = new Array(total);
    const failures: ClipFailure[] = [];
    let done = 0;
    let cached = 0;
    let extracted = 0;
    let firstExtractAt: number | undefined;

    const interval = this.deps.progressIntervalMs ?? 250;
    let lastReport = -Infinity;
    const report = (force = false) => {
      if (!force && done < total && now() - lastReport < interval) return;
      lastReport = now();
      const t = (now() - (firstExtractAt ?? started)) / 1000;
      const rate = extracted > 0 && t > 0 ? extracted / t : 0;
      this.onProgress({
        total, done, cached, failed: failures.length, clipsPerSecond: rate,
        secondsLeft: rate > 0 ? (total - done) / rate : undefined,
      });
    };
    report(true);

    const keys = this.scan.clips.map((c) => clipKey(c.path, c.item.size, c.item.lastModified, sKey));
    const misses: number[] = [];
    for (let i = 0; i < total && !this.cancelled; i++) {
      const hit = await this.deps.store.get(keys[i]);
      const clip = this.scan.clips[i];
      if (hit) {
        results[i] = fromStored(hit, clip.genre);
        infos[i] = { path: clip.path, genre: clip.genre, seconds: hit.seconds, segments: hit.count, encoding: hit.encoding, fromCache: true };
        if (hit.count === 0) failures.push({ path: clip.path, reason: tooShort(hit.seconds) });
        done++;
        cached++;
      } else misses.push(i);
    }
    report(true);

    const cancelled = new Promise<void>((r) => (this.cancelResolve = r));
    let decodeChain: Promise<unknown> = Promise.resolve();
    // Writes are not awaited per clip: a lane waiting on IndexedDB would read its next file late
    // and leave its worker idle. They are all awaited before the run ends.
    const writes: Promise<void>[] = [];
    const one = async (i: number) => {
      const clip = this.scan.clips[i];
      let job: ClipJob;
      try {
        const make = () => clipRequest(clip.item, extensionOf(clip.path), clip.decoder, i, this.settings);
        if (clip.decoder === 'browser') {
          // One browser decode at a time: decoded audio is large, and the pool is the bottleneck.
          const next = decodeChain.then(make);
          decodeChain = next.catch(() => undefined);
          job = await next;
        } else {
          job = await make();
        }
      } catch (e) {
        failures.push({ path: clip.path, reason: e instanceof Error ? e.message : String(e) });
        done++;
        report();
        return;
      }
      firstExtractAt ??= now();
      const r = await this.deps.pool.run(job.request, job.transfer);
      if (this.cancelled) return;
      done++;
      if (!r.ok) failures.push({ path: clip.path, reason: r.error });
      else if (r.kind === 'clip') {
        extracted++;
        const features: ClipFeatures = { path: clip.path, genre: clip.genre, segments: r.segments };
        infos[i] = {
          path: clip.path,
          genre: clip.genre,
          seconds: r.seconds,
          segments: r.segments.length,
          encoding: r.encoding,
          fromCache: false,
          engine: r.engine,
        };
        if (r.segments.length === 0) {
          failures.push({ path: clip.path, reason: tooShort(r.seconds) });
        } else {
          results[i] = features;
        }
        // Stored even when empty, so a reload does not decode a too-short clip again.
        writes.push(this.deps.store.put(toStored(keys[i], features, r.seconds, r.encoding)));
      }
      report();
    };
    // Two lanes per worker, each reading (or browser-decoding) its next clip while the workers
    // compute: every worker has a clip ready when it finishes one, and at most two clips per
    // worker are held in memory.
    let nextMiss = 0;
    const lane = async () => {
      while (!this.cancelled && nextMiss < misses.length) await one(misses[nextMiss++]);
    };
    const lanes = Array.from({ length: 2 * this.deps.pool.size }, lane);
    await Promise.race([Promise.all(lanes), cancelled]);
    await Promise.all(writes);

    const clips = results.filter((c): c is ClipFeatures => c !== undefined && c.segments.length > 0);
    const features: FeatureSet = {
      settings: this.settings,
      // Only genres that gave segments: a genre whose every clip failed is not a class.
      genres: genresWithSegments(this.scan.genres, clips),
      frames: framesPerSegment(this.settings),
      coefficients: coefficientsPerFrame(this.settings),
      clips,
    };
    if (!this.cancelled) {
      await this.deps.store.saveSession({
        id: 'last', settingsKey: sKey, genres: features.genres, clipKeys: keys.filter((_, i) => results[i]), savedAt: Date.now(),
      });
    }
    return {
      features,
      clips: infos.filter((c): c is ClipInfo => c !== undefined),
      failures,
      cached,
      cancelled: this.cancelled,
      elapsedSeconds: (now() - started) / 1000,
    };
  }
}

function tooShort(seconds: number): string {
  return `only ${seconds.toFixed(1)} s long: shorter than one segment, nothing kept`;
}
