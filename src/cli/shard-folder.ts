/**
 * The output of `npm run extract -- DIR --out FOLDER --shard-size N`: a folder of .npz shards and
 * one manifest.json, written last, that describes them (the settings, the segment shape, the
 * genres, and per shard its file, size, sha256, segment count and clip names). python/train.py
 * reads a shard folder only through its manifest, so a stale shard of an earlier extraction, a
 * copied one or a damaged one is refused rather than trained on.
 *
 * Every file is written under a temporary name and renamed once the whole run has succeeded: a
 * failed run (a full disk, every clip failed) leaves the folder as it was. A folder is written
 * only when it is new, empty, or holds a manifest of this kind; the shards its old manifest
 * listed and the new one does not are removed.
 *
 * npm run train reads such a folder the same way, through its manifest (readFeatureInput, which
 * also reads a data.json or an .npz: every format the page reads).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataJsonError } from '../dataset/data-json';
import { readDataJson } from '../dataset/data-json-stream';
import { featureSetProblem, genresWithSegments, type ClipFeatures, type FeatureSet } from '../dataset/feature-set';
import { npzToFeatures } from '../dataset/npz';
import { settingsKey, type FeatureSettings } from '../dsp/settings';

export const MANIFEST = 'manifest.json';
export const MANIFEST_FORMAT = 'gtzan-lab-shards';

export interface ShardEntry { file: string; bytes: number; sha256: string; segments: number; clips: string[] }

export interface ShardManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  settings: FeatureSettings;
  frames: number;
  coefficients: number;
  genres: string[];
  shards: ShardEntry[];
}

/** Throws, in one line, unless this run can write `dir`: a folder created here, probed by writing a file. */
export function checkWritableFolder(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.extract-probe-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new Error(`cannot write ${what} ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The shards an earlier extraction's manifest lists, or undefined where there is none. */
function oldShards(out: string): string[] | undefined {
  const path = join(out, MANIFEST);
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Partial<ShardManifest>;
    if (m.format === MANIFEST_FORMAT && Array.isArray(m.shards)) return m.shards.map((s) => String(s.file)).filter((f) => /^[A-Za-z0-9._-]+\.npz$/.test(f));
  } catch {
    // not ours: refused below
  }
  return undefined;
}

/** Writes one extraction's shards into `out`, checked before any clip is extracted. */
export class ShardFolder {
  private readonly entries: ShardEntry[] = [];
  private readonly partials: string[] = [];
  private readonly previous: string[];

  constructor(private readonly out: string, private readonly head: Omit<ShardManifest, 'format' | 'version' | 'shards'>) {
    if (existsSync(out) && !statSync(out).isDirectory()) throw new Error(`--out ${out} is a file; with --shard-size it names a folder`);
    const old = existsSync(out) ? oldShards(out) : undefined;
    if (existsSync(out) && !old && readdirSync(out).length > 0) {
      throw new Error(`--out ${out} is not empty and holds no shard manifest (${MANIFEST}) of an earlier extraction: write shards into a new or empty folder`);
    }
    this.previous = old ?? [];
    checkWritableFolder(out, 'the shard folder');
  }

  /** Shard k's bytes, written under a temporary name until `finish`. */
  add(k: number, bytes: Uint8Array, clips: string[], segments: number): void {
    const file = `part-${String(k).padStart(5, '0')}.npz`;
    const partial = join(this.out, `${file}.partial`);
    this.partials.push(partial);
    writeFileSync(partial, bytes);
    this.entries.push({ file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), segments, clips });
  }

  /** Renames every shard into place, writes the manifest last, removes the old manifest's stale shards. */
  finish(): void {
    this.entries.forEach((e, i) => { renameSync(this.partials[i], join(this.out, e.file)); });
    const manifest: ShardManifest = { format: MANIFEST_FORMAT, version: 1, ...this.head, shards: this.entries };
    writeAtomically(join(this.out, MANIFEST), JSON.stringify(manifest, null, 1));
    const kept = new Set(this.entries.map((e) => e.file));
    for (const file of this.previous) if (!kept.has(file)) rmSync(join(this.out, file), { force: true });
  }

  /** Removes this run's temporary files: the folder keeps what it held before. */
  abandon(): void {
    for (const p of this.partials) rmSync(p, { force: true });
  }
}

/** Writes `data` to `path` under a temporary name and renames it: a failed write leaves no partial file. */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  const partial = `${path}.partial`;
  try {
    writeFileSync(partial, data);
    renameSync(partial, path);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

/** The folder a single output file goes in, created and probed before extraction. */
export function checkOutputFile(out: string): void {
  if (existsSync(out) && statSync(out).isDirectory()) throw new Error(`--out ${out} is a folder; without --shard-size it names a file (data.json or .npz)`);
  checkWritableFolder(dirname(out) || '.', 'the folder of');
}

/**
 * Features from any file the page reads, and from npm run extract's shard folders: a data.json
 * (read in pieces, any size), an .npz, or a shard folder (the folder or its manifest.json).
 */
export async function readFeatureInput(path: string): Promise<FeatureSet> {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  if (statSync(path).isDirectory()) return readShardFolder(path);
  if (basename(path) === MANIFEST) return readShardFolder(dirname(path));
  if (/\.npz$/i.test(path)) return withPath(path, () => npzToFeatures(new Uint8Array(readFileSync(path))));
  return readDataJson(createReadStream(path, { encoding: 'utf8' }));
}

/**
 * A shard folder, read only through its manifest (as python/train.py reads it): every shard it
 * lists must be there with the size and sha256 it gives, and of the manifest's shape and settings,
 * so a stale, copied or damaged shard is refused rather than trained on.
 */
export function readShardFolder(dir: string): FeatureSet {
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) throw new Error(`${dir}: no ${MANIFEST}: a shard folder is read through the manifest npm run extract writes last`);
  let m: ShardManifest;
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8')) as ShardManifest;
  } catch (e) {
    throw new Error(`${manifestPath}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (m.format !== MANIFEST_FORMAT || m.version !== 1 || !Array.isArray(m.shards) || !Array.isArray(m.genres)) {
    throw new Error(`${manifestPath}: not a manifest of npm run extract's shards (format ${MANIFEST_FORMAT}, version 1)`);
  }
  const clips: ClipFeatures[] = [];
  const seen = new Set<string>();
  for (const shard of m.shards) {
    const name = String(shard.file);
    if (!/^[A-Za-z0-9._-]+\.npz$/.test(name)) throw new Error(`${manifestPath}: shard name ${JSON.stringify(name)} is not a file of this folder`);
    const file = join(dir, name);
    if (!existsSync(file)) throw new Error(`${file}: listed in ${MANIFEST} but missing`);
    const bytes = new Uint8Array(readFileSync(file));
    if (bytes.length !== shard.bytes || createHash('sha256').update(bytes).digest('hex') !== shard.sha256) {
      throw new Error(`${file}: not the shard ${MANIFEST} lists (its size or sha256 differs): extract the folder again`);
    }
    const set = withPath(file, () => npzToFeatures(bytes));
    if (set.frames !== m.frames || set.coefficients !== m.coefficients || settingsKey(set.settings) !== settingsKey(m.settings)) {
      throw new Error(`${file}: its segments or settings are not the manifest's (${m.frames} frames × ${m.coefficients} coefficients)`);
    }
    for (const c of set.clips) {
      if (seen.has(c.path)) throw new Error(`${file}: clip ${c.path} is in two shards`);
      seen.add(c.path);
      clips.push(c);
    }
  }
  const problem = featureSetProblem({ genres: m.genres, clips });
  if (problem) throw new Error(`${dir}: ${problem}`);
  return { settings: m.settings, genres: genresWithSegments(m.genres, clips), frames: m.frames, coefficients: m.coefficients, clips };
}

/** Names the file in a reader's error. */
function withPath<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DataJsonError) throw new Error(`${path}: ${e.message}`);
    throw e;
  }
}
