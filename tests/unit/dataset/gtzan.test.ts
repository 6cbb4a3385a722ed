import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACTS_MODULE, gtzanFactsSource } from '../../../scripts/gtzan-facts';
import { artistOf, checkGtzan, filteredSplitFits, GTZAN_GENRES, gtzanId, recognitionLine, recognizeGtzan, referenceMd5 } from '../../../src/dataset/gtzan';
import { DEFAULT_SPLIT, splitData, splitProblem, splitSizes } from '../../../src/model/data/split';
import { dataOfPaths, gtzanPaths } from '../../fixtures/gtzan-paths';

const ALL = gtzanPaths(100);
const dataOf = dataOfPaths;

describe('GTZAN recognised by its names', () => {
  it('reads <genre>/<genre>.000NN.wav or .au under any parent folder, and nothing else', () => {
    expect(gtzanId('genres_original/blues/blues.00012.wav')).toBe('blues.00012');
    expect(gtzanId('my copy/genres/jazz/jazz.00054.au')).toBe('jazz.00054');
    expect(gtzanId('jazz/jazz.00054.au')).toBe('jazz.00054');
    expect(gtzanId('x/rock/blues.00012.wav')).toBeUndefined();
    expect(gtzanId('x/polka/polka.00012.wav')).toBeUndefined();
    expect(gtzanId('x/blues/blues.00012.mp3')).toBeUndefined();
    expect(gtzanId('x/blues/blues.0012.wav')).toBeUndefined();
  });

  it('says so when most clips carry the names, and how many of the 1 000 are there', () => {
    const r = recognizeGtzan(ALL.slice(1));
    expect(r).toEqual({ recognized: true, present: 999, clips: 999, inLists: 929, sides: { train: 443, validation: 196, test: 290 } });
    expect(recognitionLine(r)).toBe('GTZAN recognised: 999 of its 1 000 clips.');
    expect(filteredSplitFits(r)).toBe(true);
    // Clips of the validation list only: recognised, but the filtered split could not test a model.
    expect(filteredSplitFits(recognizeGtzan(ALL.filter((p) => /blues\.0000\d/.test(p))))).toBe(false);
    const other = recognizeGtzan(['a/rock/x.wav', 'a/jazz/y.wav', 'a/blues/blues.00000.wav']);
    expect(other.recognized).toBe(false);
    expect(recognitionLine(other)).toBeUndefined();
  });

  it('knows each clip\'s artist and reference MD5 (Sturm 2012; mirdata)', () => {
    expect(artistOf('blues.00000')).toBe('John Lee Hooker');
    expect(artistOf('reggae.00000')).toBeDefined();
    expect(referenceMd5('blues.00000')).toBe('b462fa6a82a35d00940fe251f11447e5');
    expect(GTZAN_GENRES.flatMap((g) => Array.from({ length: 100 }, (_, n) => artistOf(`${g}.${String(n).padStart(5, '0')}`))).filter((a) => !a)).toHaveLength(81);
  });

  it('ships facts identical to shared/gtzan (npm run build:gtzan regenerates them)', () => {
    expect(readFileSync(FACTS_MODULE, 'utf8')).toBe(gtzanFactsSource());
  });
});

describe('GTZAN\'s splits', () => {
  it('filtered reproduces 443 / 197 / 290 on the full name list, 70 left out', () => {
    const d = dataOf(ALL);
    const s = splitData(d, { ...DEFAULT_SPLIT, mode: 'filtered' });
    expect(splitSizes(d, s)).toEqual({ trainClips: 443, validationClips: 197, testClips: 290, leftOutClips: 70 });
    expect(s.train.length + s.validation.length + s.test.length).toBe(2 * 930);
    expect(splitProblem(d, s)).toBeUndefined();
    // The seed does not matter: the lists are the split.
    expect(splitData(d, { ...DEFAULT_SPLIT, mode: 'filtered', seed: 7 })).toEqual({ ...s, options: { ...s.options, seed: 7 } });
  });

  it('by artist: no clip and no artist on two sides, for many seeds, near the by-clip proportions in every genre', () => {
    const d = dataOf(ALL);
    for (let seed = 0; seed < 25; seed++) {
      const s = splitData(d, { ...DEFAULT_SPLIT, mode: 'artist', seed });
      const sideOfClip = new Map<number, string>();
      const sideOfArtist = new Map<string, string>();
      for (const side of ['train', 'validation', 'test'] as const) {
        for (const i of s[side]) {
          const c = d.clipOf[i];
          expect(sideOfClip.get(c) ?? side).toBe(side);
          sideOfClip.set(c, side);
          const artist = artistOf(gtzanId(d.clipPaths[c])!);
          if (!artist) continue;
          expect(sideOfArtist.get(artist) ?? side, `${artist}, seed ${seed}`).toBe(side);
          sideOfArtist.set(artist, side);
        }
      }
      expect(sideOfClip.size).toBe(1000);
      const sizes = splitSizes(d, s);
      expect(sizes.testClips).toBeGreaterThan(200);
      expect(sizes.testClips).toBeLessThan(300);
      expect(sizes.validationClips).toBeGreaterThan(100);
      expect(sizes.validationClips).toBeLessThan(200);
      for (let g = 0; g < 10; g++) {
        const test = new Set(s.test.filter((i) => d.labels[i] === g).map((i) => d.clipOf[i])).size;
        expect(test, `${d.genres[g]}, seed ${seed}`).toBeGreaterThanOrEqual(10);
        expect(test).toBeLessThanOrEqual(45);
      }
    }
    const a = splitData(d, { ...DEFAULT_SPLIT, mode: 'artist', seed: 1 });
    expect(splitData(d, { ...DEFAULT_SPLIT, mode: 'artist', seed: 1 })).toEqual(a);
    expect(splitData(d, { ...DEFAULT_SPLIT, mode: 'artist', seed: 2 }).test).not.toEqual(a.test);
  });

  it('a partial folder: each list is restricted to the clips present; an empty side is a clear error', () => {
    const partial = ALL.filter((p) => /\/(blues|jazz)\//.test(p) && Number(p.slice(-9, -4)) < 50);
    const d = dataOf(partial);
    const s = splitData(d, { ...DEFAULT_SPLIT, mode: 'filtered' });
    const sizes = splitSizes(d, s);
    expect(sizes.trainClips + sizes.validationClips + sizes.testClips + sizes.leftOutClips).toBe(100);
    expect(sizes.testClips).toBeGreaterThan(0);
    // Only clips the lists put in training: no test side.
    const trainOnly = dataOf(['blues', 'jazz'].flatMap((g) => ALL.filter((p) => p.includes(`/${g}/`))).filter((p) => /blues\.000(29|3\d)|jazz\.0006\d/.test(p)));
    const t = splitData(trainOnly, { ...DEFAULT_SPLIT, mode: 'filtered' });
    expect(splitProblem(trainOnly, t)).toMatch(/^the fault-filtered split: \d+ train \/ 0 validation \/ 0 test clips.*: its validation and test sides are empty among the chosen clips/);
  });

  it('on another dataset every clip is left out of the filtered split, which says so', () => {
    const d = dataOf(['a/rock/x.wav', 'a/rock/y.wav', 'a/jazz/z.wav', 'a/jazz/w.wav']);
    const s = splitData(d, { ...DEFAULT_SPLIT, mode: 'filtered' });
    expect(splitSizes(d, s).leftOutClips).toBe(4);
    expect(splitProblem(d, s)).toMatch(/leaves no clip to train on/);
  });
});

describe('GTZAN\'s dataset check', () => {
  it('names missing clips, foreign names, bytes that differ from the reference, and unreadable clips', () => {
    const clips = ALL.filter((p) => !p.endsWith('jazz.00054.wav')).map((path) => ({ path, md5: undefined as string | undefined }));
    clips[0].md5 = 'b462fa6a82a35d00940fe251f11447e5'; // blues.00000, the reference's
    clips[1].md5 = '0'.repeat(32); // blues.00001, some other copy
    clips.push({ path: 'genres_original/blues/extra take.wav', md5: undefined });
    const c = checkGtzan(clips, ['genres_original/rock/rock.00003.wav', 'genres_original/blues/extra take.wav']);
    expect(c).toEqual({ present: 999, missing: ['jazz.00054'], foreignNames: ['genres_original/blues/extra take.wav'], checked: 2, differing: ['blues.00001'], unreadable: 1 });
  });
});
