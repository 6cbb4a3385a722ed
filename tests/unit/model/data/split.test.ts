import { describe, expect, it } from 'vitest';
import { toTrainingData } from '../../../../src/dataset/training-data';
import { DEFAULT_SPLIT, splitData } from '../../../../src/model/data/split';
import { syntheticFeatures } from '../../../fixtures/features';

const data = toTrainingData(syntheticFeatures({ genres: 4, clipsPerGenre: 12, seconds: 9 }));

describe('splits', () => {
  it('by clip never puts one clip on two sides, for any seed', () => {
    for (let seed = 0; seed < 20; seed++) {
      const s = splitData(data, { ...DEFAULT_SPLIT, seed });
      const side = new Map<number, string>();
      for (const [name, idx] of [['train', s.train], ['validation', s.validation], ['test', s.test]] as const) {
        for (const i of idx) {
          const clip = data.clipOf[i];
          expect(side.get(clip) ?? name).toBe(name);
          side.set(clip, name);
        }
      }
      expect(s.train.length + s.validation.length + s.test.length).toBe(data.labels.length);
    }
  });

  it('is stratified by genre with the recipe\'s proportions', () => {
    const s = splitData(data, DEFAULT_SPLIT);
    for (let g = 0; g < 4; g++) {
      const testClips = new Set(s.test.filter((i) => data.labels[i] === g).map((i) => data.clipOf[i]));
      const valClips = new Set(s.validation.filter((i) => data.labels[i] === g).map((i) => data.clipOf[i]));
      expect(testClips.size).toBe(3); // 25 % of 12
      expect(valClips.size).toBe(2); // 20 % of the remaining 9
    }
  });

  it('by segment spreads a clip\'s segments over both sides (the leak it is named for)', () => {
    const s = splitData(data, { ...DEFAULT_SPLIT, mode: 'segment' });
    const trainClips = new Set(s.train.map((i) => data.clipOf[i]));
    expect(s.test.some((i) => trainClips.has(data.clipOf[i]))).toBe(true);
    expect(s.test.length).toBe(Math.round(data.labels.length / 4 * 0.25) * 4);
  });

  it('is reproducible from its seed and changes with it', () => {
    expect(splitData(data, DEFAULT_SPLIT)).toEqual(splitData(data, DEFAULT_SPLIT));
    expect(splitData(data, { ...DEFAULT_SPLIT, seed: 7 }).test).not.toEqual(splitData(data, DEFAULT_SPLIT).test);
  });
});
