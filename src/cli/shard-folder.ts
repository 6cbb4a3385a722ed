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
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FeatureSettings } from '../dsp/settings';

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
