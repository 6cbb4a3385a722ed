import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialValues, type InitialKind } from '../../../src/model/architectures/initializers';
import { pythonWithNumpy, runPythonScript } from '../../support/python';

const root = resolve(__dirname, '../../..');
const CASES: [InitialKind, number[], number, number][] = [
  ['glorotUniform', [13, 256], 42, 0],
  ['orthogonal', [64, 256], 42, 1],
  ['heNormal', [3, 3, 16, 32], 4294967295, 7],
  ['orthogonal', [12, 4], 0, 3],
];

describe('python/gtzan_lab/initial_weights.py', () => {
  it('starts every kind of weight where the lab does for the same seed (to float32 rounding)', async () => {
    const script = `
import json, sys
sys.path.insert(0, 'python')
from gtzan_lab.initial_weights import initial_values
cases = json.loads(sys.argv[1])
print(json.dumps([initial_values(k, s, seed, i).ravel().tolist() for k, s, seed, i in cases]))
`;
    const got = JSON.parse(await runPythonScript(pythonWithNumpy(), script, [JSON.stringify(CASES)], root)) as number[][];
    CASES.forEach(([kind, shape, seed, index], c) => {
      const want = initialValues(kind, shape, seed, index);
      expect(got[c]).toHaveLength(want.length);
      let worst = 0;
      want.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - got[c][i])); });
      expect(worst, `${kind} ${shape.join('×')}`).toBeLessThan(1e-7);
    });
  });
});
