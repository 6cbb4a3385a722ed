import { describe, expect, it } from 'vitest';
import { DataJsonError, dataJsonChunks, parseDataJson } from '../../../src/dataset/data-json';
import type { FeatureSet } from '../../../src/dataset/feature-set';
import { DEFAULT_SETTINGS, framesPerSegment } from '../../../src/dsp/settings';
import { rng } from '../../fixtures/audio';

function makeSet(): FeatureSet {
  const r = rng(5);
  const seg = () => Float32Array.from({ length: 4 * 3 }, () => (r() - 0.5) * 600);
  return {
    // Settings that give the 4 frames the segments have: 2 048 samples at a hop of 512.
    settings: { ...DEFAULT_SETTINGS, nMfcc: 3, sampleRate: 8000, segments: 1, trackSeconds: 0.256 },
    genres: ['blues', 'rock'],
    frames: 4,
    coefficients: 3,
    clips: [
      { path: 'g/blues/a.wav', genre: 'blues', segments: [seg(), seg()] },
      { path: 'g/rock/b.wav', genre: 'rock', segments: [seg()] },
    ],
  };
}

describe('data.json', () => {
  it('writes the recipe\'s keys and reads back the same float32 values', () => {
    const set = makeSet();
    const json = JSON.parse([...dataJsonChunks(set)].join(''));
    expect(json.mapping).toEqual(['blues', 'rock']);
    expect(json.labels).toEqual([0, 0, 1]);
    expect(json.files).toEqual(['g/blues/a.wav', 'g/blues/a.wav', 'g/rock/b.wav']);
    expect(json.mfcc).toHaveLength(3);
    expect(json.mfcc[0]).toHaveLength(4);
    expect(json.mfcc[0][0]).toHaveLength(3);
    const back = parseDataJson(json);
    expect(back.genres).toEqual(set.genres);
    expect(back.clips.map((c) => [c.path, c.segments.length])).toEqual([['g/blues/a.wav', 2], ['g/rock/b.wav', 1]]);
    expect(Array.from(back.clips[0].segments[1])).toEqual(Array.from(set.clips[0].segments[1]));
    expect(back.settings.nMfcc).toBe(3);
  });

  it('reads the recipe\'s own output, which has no "files"', () => {
    const back = parseDataJson({ mapping: ['a', 'b'], labels: [0, 1], mfcc: [[[1, 2], [5, 6]], [[3, 4], [7, 8]]] });
    expect(back.clips).toHaveLength(2);
    expect(back.frames).toBe(2);
    expect(back.coefficients).toBe(2);
  });

  it('a recipe data.json without "settings" says its segment count by its frames; one no segment count gives is refused', () => {
    const segment = (frames: number) => Array.from({ length: frames }, (_, f) => Array.from({ length: 13 }, (_, k) => f - k));
    // The Python recipe's num_segments=5: 259 frames a segment.
    const five = parseDataJson({ mapping: ['a', 'b'], labels: [0, 1], mfcc: [segment(259), segment(259)] });
    expect(five.settings.segments).toBe(5);
    expect(framesPerSegment(five.settings)).toBe(259);
    expect(parseDataJson({ mapping: ['a', 'b'], labels: [0, 1], mfcc: [segment(130), segment(130)] }).settings.segments).toBe(10);
    expect(() => parseDataJson({ mapping: ['a', 'b'], labels: [0, 1], mfcc: [segment(1300), segment(1300)] }))
      .toThrow(/data.json has no "settings" and its segments have 1300 frames, which the recipe's settings \(22050 Hz, hop 512, 30 s clips\) give for no number of segments/);
  });

  it('"files" entries that are not names, blank genre names and a key given twice are refused with what is wrong', () => {
    const two = { labels: [0, 1], mfcc: [[[1, 2], [5, 6]], [[3, 4], [7, 8]]] };
    expect(() => parseDataJson({ mapping: ['a', 'b'], ...two, files: [{ x: 1 }, 'y'] })).toThrow('"files" entry 1 is {"x":1}, not a file name');
    expect(() => parseDataJson({ mapping: ['a', ' '], ...two })).toThrow('The dataset: genre 2 has a blank name (" "); every genre needs a name that shows');
    expect(() => parseDataJson({ mapping: ['', 'b'], ...two })).toThrow(/genre 1 has a blank name/);
  });

  it('names what is wrong with a malformed file', () => {
    const bad = (v: unknown) => {
      try { parseDataJson(v); } catch (e) { expect(e).toBeInstanceOf(DataJsonError); return (e as Error).message; }
      throw new Error('expected an error');
    };
    expect(bad([])).toMatch(/mapping/);
    expect(bad({ mapping: ['a'], labels: [0, 0], mfcc: [[[1]]] })).toMatch(/"labels" has 2 entries but "mfcc" has 1/);
    expect(bad({ mapping: ['a'], labels: [3], mfcc: [[[1]]] })).toMatch(/label 3/);
    expect(bad({ mapping: ['a'], labels: [0, 0], mfcc: [[[1, 2]], [[1, 2], [3, 4]]] })).toMatch(/segment 1: expected 1 frames/);
    expect(bad({ mapping: ['a'], labels: [0, 0], mfcc: [[[1, 2]], [[1]]] })).toMatch(/segment 1, frame 0: expected 2 coefficients/);
    expect(bad({ mapping: ['a'], labels: [0], mfcc: [[['x']]] })).toMatch(/not a number/);
    expect(bad({ mapping: ['a'], labels: [], mfcc: [] })).toMatch(/no segments/);
  });

  it('refuses what would train a fake model or silently stop learning', () => {
    const bad = (v: object) => {
      try { parseDataJson(v); } catch (e) { expect(e).toBeInstanceOf(DataJsonError); return (e as Error).message; }
      throw new Error('expected an error');
    };
    const two = { labels: [0, 1], mfcc: [[[1, 2]], [[3, 4]]] };
    expect(bad({ mapping: ['rock'], labels: [0, 0], mfcc: [[[1, 2]], [[3, 4]]] })).toMatch(/Only one genre has features \(rock\)/);
    expect(bad({ mapping: ['rock', 'jazz'], labels: [1, 1], mfcc: [[[1, 2]], [[3, 4]]] })).toMatch(/Only one genre has features \(jazz\).*rock gave no features/);
    expect(bad({ mapping: ['rock', 'rock', 'jazz'], ...two })).toMatch(/"mapping" names "rock" twice/);
    expect(bad({ mapping: ['a', 'b'], labels: [0, 1], mfcc: [[[1, 1e39]], [[3, 4]]] })).toMatch(/segment 0, frame 0: 1e\+39 is beyond float32's range/);
    expect(bad({ mapping: ['a', 'b'], ...two, settings: { hopLength: 0.001 } })).toMatch(/"settings": hopLength must be a whole number/);
    expect(bad({ mapping: ['a', 'b'], ...two, settings: { nMels: 4000000 } })).toMatch(/"settings": nMels must be from 1 to 512/);
    expect(bad({ mapping: ['a', 'b'], ...two, settings: 'x' })).toMatch(/"settings" must be an object/);
    // Settings that are sane but do not describe these numbers would make a model its own metadata contradicts.
    expect(bad({ mapping: ['a', 'b'], ...two, settings: {} })).toMatch(/"settings" give segments of 130 frames, but the segments in "mfcc" have 1/);
  });

  it('leaves out a genre of the mapping that has no segments, and keeps the labels right', () => {
    const back = parseDataJson({ mapping: ['a', 'empty', 'b'], labels: [0, 2, 2], files: ['x', 'y', 'y'], mfcc: [[[1], [1]], [[2], [2]], [[3], [3]]] });
    expect(back.genres).toEqual(['a', 'b']);
    expect(back.clips.map((c) => [c.path, c.genre, c.segments.length])).toEqual([['x', 'a', 1], ['y', 'b', 2]]);
  });
});
