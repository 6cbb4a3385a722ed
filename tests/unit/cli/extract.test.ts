import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/dsp/decode';
import { MfccExtractor } from '../../../src/dsp/mfcc';
import { segmentMfccs } from '../../../src/dsp/segments';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { encodeAu, encodeWav, synthClip } from '../../fixtures/audio';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');

async function extract(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const r = await run(tsx, ['src/cli/extract.ts', ...args], { cwd: root });
    return { code: 0, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

describe('npm run extract', () => {
  it('writes the recipe\'s data.json from a GTZAN-like tree and reports bad files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-cli-'));
    const ds = join(dir, 'genres_original');
    for (const [g, name] of ['blues', 'rock'].entries()) {
      mkdirSync(join(ds, name), { recursive: true });
      writeFileSync(join(ds, name, `${name}.00000.wav`), encodeWav({ samples: synthClip(g, 30, 22050, 1), sampleRate: 22050 }));
    }
    writeFileSync(join(ds, 'rock', 'rock.00001.au'), encodeAu({ samples: synthClip(1, 7, 22050, 2), sampleRate: 22050 }));
    writeFileSync(join(ds, 'blues', 'blues.00054.wav'), 'corrupt');
    writeFileSync(join(ds, 'blues', '.DS_Store'), 'x');
    const out = join(dir, 'data.json');
    const r = await extract([ds, '--out', out, '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped blues\/\.DS_Store: hidden file/);
    expect(r.stderr).toMatch(/skipped blues\/blues\.00054\.wav: not a WAV or AU file/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.mapping).toEqual(['blues', 'rock']);
    // 10 + 10 segments from the 30 s clips, 2 from the 7 s clip.
    expect(json.labels).toEqual([...Array(10).fill(0), ...Array(12).fill(1)]);
    expect(json.mfcc[0]).toHaveLength(130);
    expect(json.mfcc[0][0]).toHaveLength(13);
    expect(json.files[0]).toBe('blues/blues.00000.wav');
    // Same numbers as src/dsp called directly.
    const direct = segmentMfccs(decodeAudio(encodeWav({ samples: synthClip(0, 30, 22050, 1), sampleRate: 22050 })).samples, new MfccExtractor(DEFAULT_SETTINGS));
    expect(json.mfcc[3][64][5]).toBeCloseTo(direct[3][64 * 13 + 5], 4);
  });

  it('exits non-zero when nothing could be extracted, and on bad options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-cli-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'x.wav'), encodeWav({ samples: synthClip(0, 1, 22050, 1), sampleRate: 22050 }));
    writeFileSync(join(dir, 'b', 'y.wav'), encodeWav({ samples: synthClip(1, 1, 22050, 1), sampleRate: 22050 }));
    const r = await extract([dir, '--out', join(dir, 'data.json')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nothing was extracted/);
    const bad = await extract([dir, '--out', join(dir, 'd.json'), '--n-fft', '1000']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/power of two/);
  });
});
