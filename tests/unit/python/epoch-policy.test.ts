import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EpochPolicy, SCHEDULES } from '../../../src/model/optimizers/epoch-policy';
import { pythonWithNumpy, runPythonScript } from '../../support/python';

const root = resolve(__dirname, '../../..');
const LOSSES = [1.0, 0.8, 0.85, 0.9, 0.95, 0.7, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8];

describe('python/gtzan_lab/epoch_policy.py', () => {
  it('gives every schedule\'s rates, the best epoch and the early stop the lab gives', async () => {
    const script = `
import json, sys
sys.path.insert(0, 'python')
from gtzan_lab.epoch_policy import EpochPolicy
losses = json.loads(sys.argv[1])
out = {}
for schedule in ('constant', 'cosine', 'plateau'):
    p = EpochPolicy(1e-3, schedule, len(losses), 4)
    steps = []
    for e, loss in enumerate(losses, 1):
        rate = p.rate_for(e)
        best, stop = p.observe(e, loss)
        steps.append([rate, best, stop, p.best_epoch])
    out[schedule] = steps
print(json.dumps(out))
`;
    const got = JSON.parse(await runPythonScript(pythonWithNumpy(), script, [JSON.stringify(LOSSES)], root));
    for (const schedule of SCHEDULES) {
      const p = new EpochPolicy(1e-3, schedule, LOSSES.length, 4);
      const want = LOSSES.map((loss, i) => {
        const rate = p.rateFor(i + 1);
        const { best, stop } = p.observe(i + 1, loss);
        return [rate, best, stop, p.bestEpoch];
      });
      expect(got[schedule], schedule).toEqual(want);
    }
  });

  it('refuses a schedule the lab does not have, naming those it has', async () => {
    const script = "import sys; sys.path.insert(0, 'python'); from gtzan_lab.epoch_policy import EpochPolicy; EpochPolicy(1e-3, 'step', 10, 0)";
    await expect(runPythonScript(pythonWithNumpy(), script, [], root)).rejects.toThrow(/must be one of constant, cosine, plateau, not 'step'/);
  });
});
