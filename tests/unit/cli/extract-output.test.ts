/**
 * npm run extract's output: checked before any clip is extracted (a whole number of clips a
 * shard; a folder that can be written, made when missing; a shard folder only where it is new,
 * empty or its own), written under temporary names so a failed run leaves nothing half-written,
 * and a shard folder described by one manifest.json written last.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav, synthClip } from '../../fixtures/audio';

const ROOT = resolve(__dirname, '../../..');
const GENRES = ['blues', 'classical', 'rock'];
// Clips of 2 s cut into 2 segments of 1 s: quick to extract.
const SHORT = ['--track-seconds', '2', '--segments', '2', '--workers', '1'];

/** 3 genres × `perGenre` clips of 2 s; with `broken`, every file is 0 bytes (no clip can be read). */
function dataset(perGenre: number, broken = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'gtzan-extract-out-'));
  GENRES.forEach((genre, g) => {
    mkdirSync(join(dir, genre));
    for (let i = 0; i < perGenre; i++) {
      const bytes = broken ? new Uint8Array(0) : encodeWav({ samples: synthClip(g, 2, 22050, g * 10 + i + 1), sampleRate: 22050 });
      writeFileSync(join(dir, genre, `${genre}.${String(i).padStart(5, '0')}.wav`), bytes);
    }
  });
  return dir;
}

/** An extraction, awaited without blocking the test worker (a blocked worker misses vitest's calls). */
function extract(dir: string, out: string, extra: string[] = []): Promise<{ code: number | null; stderr: string; lastLine: string }> {
  return new Promise((done) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/extract.ts', dir, '--out', out, ...SHORT, ...extra], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stderr, lastLine: stderr.trim().split('\n').at(-1) ?? '' }));
  });
}

const fresh = () => mkdtempSync(join(tmpdir(), 'gtzan-extract-into-'));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('npm run extract: its output', { timeout: 180_000 }, () => {
  const clips = dataset(3);

  it('refuses a shard size that is not a whole number of clips from 1 up, in one line, before extracting', async () => {
    for (const size of ['0', '2.5']) {
      const out = join(fresh(), 'shards');
      const r = await extract(clips, out, ['--shard-size', size]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`--shard-size must be a whole number of clips, 1 or more, got ${size}`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('writes one manifest.json that lists every shard with its size, sha256, segments and clip names', async () => {
    const out = join(fresh(), 'shards');
    const r = await extract(clips, out, ['--shard-size', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'part-00000.npz', 'part-00001.npz', 'part-00002.npz']);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'gtzan-lab-shards', version: 1, genres: GENRES, frames: 44, coefficients: 13 });
    expect(m.settings).toMatchObject({ trackSeconds: 2, segments: 2, nMfcc: 13 });
    expect(m.shards.map((s: { clips: string[] }) => s.clips.length)).toEqual([4, 4, 1]);
    expect(m.shards.flatMap((s: { clips: string[] }) => s.clips)).toHaveLength(9);
    for (const s of m.shards) {
      expect(s.bytes).toBe(readFileSync(join(out, s.file)).length);
      expect(s.sha256).toBe(sha256(join(out, s.file)));
      expect(s.segments).toBe(2 * s.clips.length);
    }
  });

  it('extracting again into its own shard folder removes the shards of the earlier run', async () => {
    const out = join(fresh(), 'shards');
    expect((await extract(clips, out, ['--shard-size', '2'])).code).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.npz'))).toHaveLength(5);
    const r = await extract(clips, out, ['--shard-size', '9', '--features', 'logmel', '--n-mels', '13']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'part-00000.npz']);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.settings.featureType).toBe('logmel');
    expect(m.shards).toHaveLength(1);
  });

  it('refuses a non-empty folder it did not write, and leaves it as it was', async () => {
    const out = fresh();
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = await extract(clips, out, ['--shard-size', '3']);
    expect(r.code).toBe(1);
    expect(r.lastLine).toBe(`--out ${out} is not empty and holds no shard manifest (manifest.json) of an earlier extraction: write shards into a new or empty folder`);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  it('exits 1 in shard mode when every clip failed, leaving no shard and no manifest', async () => {
    const out = join(fresh(), 'shards');
    const r = await extract(dataset(2, true), out, ['--shard-size', '2']);
    expect(r.code).toBe(1);
    expect(r.lastLine).toBe('nothing was extracted: no clip gave a full segment');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('creates a missing folder for --out', async () => {
    const out = join(fresh(), 'new', 'deeper', 'data.json');
    const r = await extract(clips, out);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).mapping).toEqual(GENRES);
  });

  it('refuses an output it cannot write in one line, before extracting', async () => {
    const blocker = join(fresh(), 'a-file');
    writeFileSync(blocker, '');
    for (const [out, extra] of [[join(blocker, 'data.json'), []], [join(blocker, 'features.npz'), []], [join(blocker, 'shards'), ['--shard-size', '2']]] as const) {
      const r = await extract(clips, out, [...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^cannot write the (folder of|shard folder) .*a-file.*(ENOTDIR|EEXIST)/);
      expect(r.stderr).not.toMatch(/\[\d+\/\d+\]|\n\s+at /);
    }
  });

  it('a write that fails part-way leaves no partial file: the folder keeps what it held', async () => {
    const out = join(fresh(), 'shards');
    expect((await extract(clips, out, ['--shard-size', '4'])).code).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, sha256(join(out, f))]));
    // A folder where the second shard's temporary file would go: that write fails.
    mkdirSync(join(out, 'part-00001.npz.partial'));
    const r = await extract(clips, out, ['--shard-size', '3']);
    expect(r.code).toBe(1);
    expect(r.lastLine).toMatch(/EISDIR/);
    expect(readdirSync(out).filter((f) => f !== 'part-00001.npz.partial').sort()).toEqual(Object.keys(before).sort());
    for (const [f, digest] of Object.entries(before)) expect(sha256(join(out, f)), f).toBe(digest);
    // The same for a single .npz.
    const npz = join(fresh(), 'features.npz');
    mkdirSync(`${npz}.partial`);
    expect((await extract(clips, npz)).code).toBe(1);
    expect(existsSync(npz)).toBe(false);
  });
});
