import { describe, expect, it } from 'vitest';
import { DataJsonError, dataJsonChunks, parseDataJson } from '../../../src/dataset/data-json';
import { DataJsonReader } from '../../../src/dataset/data-json-stream';
import type { FeatureSet } from '../../../src/dataset/feature-set';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { rng } from '../../fixtures/audio';

/** Feeds `text` to a reader in pieces of random sizes (1 character and up), as a stream would. */
function readInPieces(text: string, seed: number, largest = 17): FeatureSet {
  const r = rng(seed);
  const reader = new DataJsonReader();
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(r() * largest);
    reader.push(text.slice(i, i + n));
    i += n;
  }
  return reader.end();
}

function errorOf(text: string): string {
  try {
    readInPieces(text, 1);
  } catch (e) {
    expect(e).toBeInstanceOf(DataJsonError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const set: FeatureSet = {
  settings: { ...DEFAULT_SETTINGS, nMfcc: 3, sampleRate: 8000, segments: 1, trackSeconds: 0.256 },
  genres: ['blues', 'rock "live"', 'jazz\\n'],
  frames: 4,
  coefficients: 3,
  clips: ['blues', 'rock "live"', 'jazz\\n'].flatMap((genre, g) => [0, 1].map((c) => ({
    path: `ds/${genre}/clip[${c}], {x}.wav`,
    genre,
    segments: [0, 1].map((s) => Float32Array.from({ length: 12 }, (_, k) => (g + 1) * 100 - c * 7.25 + s * 1e-3 - k * 3.5e-5)),
  }))),
};

describe('data.json read in pieces', () => {
  it('gives exactly what JSON.parse of the whole text gives, however the text is cut', () => {
    const text = [...dataJsonChunks(set)].join('');
    const whole = parseDataJson(JSON.parse(text));
    for (const [seed, largest] of [[1, 1], [2, 7], [3, 64], [4, 4096]]) {
      const back = readInPieces(text, seed, largest);
      expect(back.genres).toEqual(whole.genres);
      expect(back.settings).toEqual(whole.settings);
      expect(back.clips.map((c) => [c.path, c.genre, c.segments.map((s) => Array.from(s))]))
        .toEqual(whole.clips.map((c) => [c.path, c.genre, c.segments.map((s) => Array.from(s))]));
    }
  });

  it('reads the recipe\'s layout (labels before mfcc, no files or settings) with any spacing', () => {
    const text = '{ "mapping" : ["a", "b"] ,\n "labels":[0,1],\n\t"mfcc": [ [ [1, 2e-3], [0, 0] ], [[-3.5,4], [1, 1]] ] , "extra": {"k": [1, {"z": "]"}]} }';
    const back = readInPieces(text, 9, 3);
    expect(back.clips.map((c) => Array.from(c.segments[0]))).toEqual([[1, Math.fround(2e-3), 0, 0], [-3.5, 4, 1, 1]]);
    expect(back.genres).toEqual(['a', 'b']);
  });

  it('names what is wrong, as the whole-text reader does', () => {
    expect(errorOf('[1]')).toMatch(/must hold a JSON object/);
    expect(errorOf('{"mapping": ["a", "b"], "labels": [0, 1], "mfcc": [[[1, 2], [3, 4]], [[1, 2]]]}')).toMatch(/segment 1: expected 2 frames/);
    expect(errorOf('{"mapping": ["a", "b"], "labels": [0, 1], "mfcc": [[[1, 2]], [[1, NaN]]]}')).toMatch(/segment 1 of "mfcc" is not valid JSON/);
    expect(errorOf('{"mapping": ["a", "b"], "labels": [0, 1], "mfcc": [[[1, 2]], [[1, 2]]]')).toMatch(/ends before its object is closed/);
    expect(errorOf('{"mapping": ["a", "b"], "labels": [0, 1], "mfcc": [1, 2]}')).toMatch(/segment 0 of "mfcc" must be a list/);
    expect(errorOf('{"mapping": ["a", "b"], "labels": [0, 1], "mfcc": [[[1, 2]], [[1, 2]]]} x')).toMatch(/after the end/);
    expect(errorOf('{"mapping": ["a", "b"] "labels": [0, 1]}')).toMatch(/expected "," or "}"/);
  });

  it('refuses a key given twice, which JSON.parse would read as the last one', () => {
    expect(errorOf('{"mapping": ["a", "b"], "labels": [0, 1], "mfcc": [[[1, 2], [1, 2]], [[1, 2], [3, 4]]], "mfcc": [[[1, 2], [1, 2]]]}'))
      .toBe('data.json holds "mfcc" twice: keep one');
    expect(errorOf('{"mapping": ["a", "b"], "mapping": ["c", "d"], "labels": [0, 1]}')).toBe('data.json holds "mapping" twice: keep one');
  });

  it('holds the text of one segment at a time, not the file', () => {
    // 2 000 segments of 130 × 13: ~4 MB of text, fed in 64 kB pieces.
    const big: FeatureSet = {
      settings: { ...DEFAULT_SETTINGS }, genres: ['a', 'b'], frames: 130, coefficients: 13,
      clips: Array.from({ length: 200 }, (_, c) => ({ path: `c${c}`, genre: c % 2 ? 'b' : 'a', segments: Array.from({ length: 10 }, () => new Float32Array(130 * 13).fill(c)) })),
    };
    const reader = new DataJsonReader();
    let held = 0;
    let pending = '';
    for (const chunk of dataJsonChunks(big)) {
      pending += chunk;
      while (pending.length >= 65536) {
        reader.push(pending.slice(0, 65536));
        pending = pending.slice(65536);
        held = Math.max(held, (reader as unknown as { captured: string[] }).captured.reduce((n, s) => n + s.length, 0));
      }
    }
    reader.push(pending);
    const back = reader.end();
    expect(back.clips).toHaveLength(200);
    // The largest text kept between pieces is part of one segment (~7 kB) or of the files list.
    expect(held).toBeLessThan(80_000);
  });
});
