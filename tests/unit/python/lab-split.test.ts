import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitData } from '../../../src/model/data/split';
import { DEFAULT_SPLIT } from '../../../src/model/data/split-options';
import { pythonWithNumpy, runPythonScript } from '../../support/python';

const root = resolve(__dirname, '../../..');

/** Labels and clips of a dataset: genres of unequal sizes, clips of unequal segment counts. */
function dataset() {
  const labels: number[] = [];
  const clipOf: number[] = [];
  const clipPaths: string[] = [];
  const genres = ['a', 'b', 'c', 'd'];
  genres.forEach((g, gi) => {
    for (let c = 0; c < 5 + 3 * gi; c++) {
      clipPaths.push(`${g}/${g}.${c}.wav`);
      for (let s = 0; s < 3 + ((c + gi) % 4); s++) {
        labels.push(gi);
        clipOf.push(clipPaths.length - 1);
      }
    }
  });
  return { genres, clipPaths, labels: Int32Array.from(labels), clipOf: Int32Array.from(clipOf) };
}

describe('python/gtzan_lab/lab_split.py', () => {
  it('holds out exactly the segments the lab holds out, by clip and by segment, for any seed', async () => {
    const d = dataset();
    const cases = ([['clip', 0], ['clip', 42], ['segment', 42], ['clip', 4294967295], ['segment', 7]] as const);
    const script = `
import json, sys
sys.path.insert(0, 'python')
from gtzan_lab.lab_split import lab_split
d = json.loads(sys.argv[1])
print(json.dumps([lab_split(d['labels'], d['clipOf'], d['genres'], mode, seed) for mode, seed in d['cases']]))
`;
    const input = JSON.stringify({ labels: [...d.labels], clipOf: [...d.clipOf], genres: d.genres.length, cases });
    const got = JSON.parse(await runPythonScript(pythonWithNumpy(), script, [input], root)) as Record<string, number[]>[];
    cases.forEach(([mode, seed], i) => {
      const want = splitData(d, { ...DEFAULT_SPLIT, mode, seed });
      expect(got[i], `${mode} seed ${seed}`).toEqual({ train: want.train, validation: want.validation, test: want.test });
    });
    // Not one split for every seed: the seed moves clips between sides.
    expect(got[0].test).not.toEqual(got[1].test);
  });
});
