/**
 * npm run extract -- DIR --out FOLDER --shard-size N: one .npz per N clips, so memory stays
 * bounded by a shard however large the set; python/train.py trains on the folder shard by shard.
 */
import { execFile } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encodeWav, synthClip } from '../../fixtures/audio';
import { pythonWithTorch } from '../../support/python';

const ROOT = resolve(__dirname, '../../..');
const GENRES = ['blues', 'classical', 'rock'];

/** 3 genres × `perGenre` clips of 30 s: one clip per genre, linked under every name (fast to make, the same bytes to read). */
function dataset(perGenre: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gtzan-shards-'));
  GENRES.forEach((genre, g) => {
    mkdirSync(join(dir, genre));
    const first = join(dir, genre, `${genre}.00000.wav`);
    writeFileSync(first, encodeWav({ samples: synthClip(g, 30, 22050, g + 1), sampleRate: 22050 }));
    for (let i = 1; i < perGenre; i++) linkSync(first, join(dir, genre, `${genre}.${String(i).padStart(5, '0')}.wav`));
  });
  return dir;
}

function peakOf(stderr: string): number {
  const m = /peak memory (\d+) MB/.exec(stderr);
  if (!m) throw new Error(`no peak memory in: ${stderr.slice(-300)}`);
  return Number(m[1]);
}

const exec = promisify(execFile);

/** An extraction, awaited without blocking the test worker (a blocked worker misses vitest's calls). */
async function run(dir: string, out: string, extra: string[] = []): Promise<{ peak: number; said: string }> {
  const r = await exec(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/extract.ts', dir, '--out', out, '--features', 'logmel', '--n-mels', '128', '--workers', '2', ...extra],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { peak: peakOf(r.stderr), said: r.stderr };
}

describe('sharded extraction', () => {
  it('holds one shard at a time: 4 times the clips, the same peak memory; the whole set at once holds it all', async () => {
    const base = mkdtempSync(join(tmpdir(), 'gtzan-out-'));
    const few = await run(dataset(20), join(base, 'few'), ['--shard-size', '10']);
    const big = dataset(80);
    const out = join(base, 'shards');
    const sharded = await run(big, out, ['--shard-size', '10']);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', ...Array.from({ length: 24 }, (_, k) => `part-${String(k).padStart(5, '0')}.npz`)]);
    expect(sharded.said).toMatch(/2400 segments from 240 clips \(0 failed\)/);
    const whole = await run(big, join(base, 'whole.npz'));
    console.log(`peak memory: 60 clips in shards of 10 ${few.peak} MB, 240 clips in shards of 10 ${sharded.peak} MB, 240 clips at once ${whole.peak} MB`);
    // 240 × 10 segments × 130 × 128 float32 = 160 MB of features; a shard of 10 clips is 6.7 MB.
    // Holding the 180 extra clips would add 120 MB; the margin is for the collector's timing,
    // which moves a peak by up to 35 MB between runs on a busy machine.
    expect(sharded.peak).toBeLessThan(few.peak + 60);
    expect(whole.peak).toBeGreaterThan(sharded.peak + 120);

    // python/train.py trains on the folder, shard by shard, and counts every segment.
    const settings = join(out, '..', 'settings.json');
    writeFileSync(settings, JSON.stringify({ model: { architecture: 'conv1d', filters: 4, denseUnits: 8, dropout: 0, learningRate: 1e-2 }, training: { epochs: 1, batchSize: 32, standardize: true } }));
    await exec(pythonWithTorch(), [join(ROOT, 'python/train.py'), out, '--out', join(out, '..', 'model'), '--settings', settings, '--threads', '1'], { encoding: 'utf8' });
    const meta = JSON.parse(readFileSync(join(out, '..', 'model', 'metadata.json'), 'utf8'));
    expect(meta.split.trainSegments + meta.split.validationSegments + meta.split.testSegments).toBe(2400);
    expect(meta.inputShape).toEqual([130, 128]);
    // Three extractions of up to 240 clips and a training: minutes on a busy 2-core machine.
  }, 240_000);
});
