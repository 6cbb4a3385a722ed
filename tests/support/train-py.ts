/** Feature files and runs of python/train.py for its tests: small sets made with the lab's own .npz writer and numpy. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { ShardFolder } from '../../src/cli/shard-folder';
import type { FeatureSet } from '../../src/dataset/feature-set';
import { featuresToNpz } from '../../src/dataset/npz';
import { DEFAULT_SETTINGS, type FeatureSettings } from '../../src/dsp/settings';
import { pythonWithTorch } from './python';

export const ROOT = resolve(__dirname, '../..');
export const TRAIN_PY = join(ROOT, 'python/train.py');
export const GENRES = ['blues', 'classical', 'rock'];
/** Segments of 1 s: 44 frames × 13 MFCCs, small enough to train in a moment. */
export const SETTINGS: FeatureSettings = { ...DEFAULT_SETTINGS, trackSeconds: 2, segments: 2 };

export const workDir = (name: string) => mkdtempSync(join(tmpdir(), `gtzan-${name}-`));

/** 3 genres × perGenre clips × 2 segments, each genre its own level; clip names start with `prefix`. */
export function featureSet(perGenre: number, o: { prefix?: string; settings?: FeatureSettings; frames?: number; coefficients?: number; scale?: number } = {}): FeatureSet {
  const settings = o.settings ?? SETTINGS;
  const frames = o.frames ?? 44;
  const coefficients = o.coefficients ?? 13;
  let s = 11;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) - 0.5;
  };
  const clips = GENRES.flatMap((genre, g) => Array.from({ length: perGenre }, (_, c) => ({
    path: `${o.prefix ?? ''}${genre}/${genre}.${String(c).padStart(5, '0')}.wav`,
    genre,
    segments: Array.from({ length: 2 }, () => Float32Array.from({ length: frames * coefficients }, () => (g + rand()) * (o.scale ?? 1))),
  })));
  return { settings, genres: GENRES, frames, coefficients, clips };
}

export function writeNpz(dir: string, name: string, set: FeatureSet): string {
  const path = join(dir, name);
  writeFileSync(path, featuresToNpz(set));
  return path;
}

/** A shard folder as npm run extract writes it: one shard per set, and the manifest. */
export function writeShards(dir: string, sets: FeatureSet[]): string {
  const out = join(dir, 'shards');
  const first = sets[0];
  const folder = new ShardFolder(out, { settings: first.settings, frames: first.frames, coefficients: first.coefficients, genres: first.genres });
  sets.forEach((set, k) => { folder.add(k, featuresToNpz(set), set.clips.map((c) => c.path), set.clips.reduce((n, c) => n + c.segments.length, 0)); });
  folder.finish();
  return out;
}

/** An .npz changed with numpy: `code` edits `z`, the dict of its arrays, before it is saved as `dst`. */
export function numpyEdit(src: string, dst: string, code: string): string {
  const script = 'import json, sys, zipfile, numpy as np\nz = dict(np.load(sys.argv[1]))\nexec(sys.argv[3])\nnp.savez(sys.argv[2], **z)\n';
  execFileSync(pythonWithTorch(), ['-c', script, src, dst, code]);
  return dst;
}

export function settingsFile(dir: string, model: object, training: object): string {
  const path = join(dir, `settings-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ model, training }));
  return path;
}

export const SMALL_MODEL = { architecture: 'conv1d', filters: 4, denseUnits: 8, dropout: 0, learningRate: 1e-2 };

export interface Run { code: number | null; stdout: string; stderr: string }

/** A run of train.py, awaited without blocking the test worker (a blocked worker misses vitest's calls). */
export function train(args: string[], shell?: string): Promise<Run> {
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const [command, argv] = shell
    ? ['bash', ['-c', `${shell}; exec "$0" "$@"`, pythonWithTorch(), TRAIN_PY, ...args]]
    : [pythonWithTorch(), [TRAIN_PY, ...args]];
  return new Promise((done) => {
    const child = spawn(command, argv, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** train.py refuses: exit 1, one line "train.py: …" matching `reason`, no traceback, no epoch trained, nothing in `out`. */
export async function refused(args: string[], reason: string | RegExp, out?: string): Promise<Run> {
  const r = await train(args);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).not.toMatch(/Traceback/);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0].startsWith('train.py: '), lines[0]).toBe(true);
  expect(lines[0].slice('train.py: '.length)).toMatch(reason);
  expect(r.stdout).not.toMatch(/^epoch /m);
  if (out) expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  return r;
}

export function subdir(dir: string, name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}
