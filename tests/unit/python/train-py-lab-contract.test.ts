import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toTrainingData } from '../../../src/dataset/training-data';
import { buildModel } from '../../../src/model/architectures/build';
import type { ModelConfig } from '../../../src/model/architectures/config';
import { splitData } from '../../../src/model/data/split';
import { DEFAULT_SPLIT } from '../../../src/model/data/split-options';
import { pythonWithTorch, runPythonScript } from '../../support/python';
import { featureSet, ROOT, SMALL_MODEL, settingsFile, train, workDir, writeNpz } from '../../support/train-py';

const SHAPES: ModelConfig[] = [
  { architecture: 'lstm', lstmUnits: [8, 8], denseUnits: 8, dropout: 0.3, learningRate: 1e-3, frames: 44, coefficients: 13, classes: 3 },
  { architecture: 'cnn', filters: 4, lstmUnits: [8], denseUnits: 8, dropout: 0.3, learningRate: 1e-3, frames: 44, coefficients: 13, classes: 3 },
  { architecture: 'conv1d', filters: 4, lstmUnits: [8], denseUnits: 8, dropout: 0.3, learningRate: 1e-3, frames: 44, coefficients: 13, classes: 3 },
];

describe('python/train.py keeps the lab\'s contract', () => {
  it('starts every architecture from the lab\'s own starting weights for the seed', async () => {
    await tf.setBackend('cpu');
    const script = `
import json, sys
sys.path.insert(0, 'python')
from gtzan_lab.models import ARCHITECTURES
from gtzan_lab.model_files import lab_start_weights, tfjs_layers
out = []
for m in json.loads(sys.argv[1]):
    model = ARCHITECTURES[m['architecture']](m['frames'], m['coefficients'], m['classes'], m)
    start = lab_start_weights(model, m['architecture'], m['frames'], m['coefficients'], m['classes'], m, 2024)
    # tfjs lists batch normalisation's moving statistics after every trainable weight.
    moving = [('moving_' in name) for name, _ in tfjs_layers(model, m['architecture'], m['frames'], m['coefficients'], m['classes'], m)[1]]
    out.append([w.ravel().tolist() for w, late in sorted(zip(start, moving), key=lambda p: p[1])])
print(json.dumps(out))
`;
    const got = JSON.parse(await runPythonScript(pythonWithTorch(), script, [JSON.stringify(SHAPES)], ROOT)) as number[][][];
    SHAPES.forEach((c, i) => {
      const model = buildModel(c, 2024);
      const want = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      expect(got[i].map((w) => w.length), c.architecture).toEqual(want.map((w) => w.length));
      let worst = 0;
      want.forEach((w, k) => { w.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - got[i][k][j])); }); });
      expect(worst, c.architecture).toBeLessThan(1e-7);
    });
  });

  it('--split clip --seed N tests on exactly the clips the lab tests on for that seed', async () => {
    const dir = workDir('lab-split');
    const set = featureSet(8);
    const npz = writeNpz(dir, 'f.npz', set);
    const out = join(dir, 'model');
    const r = await train([npz, '--out', out, '--split', 'clip', '--seed', '31', '--epochs', '1', '--settings', settingsFile(dir, SMALL_MODEL, { batchSize: 8 })]);
    expect(r.code, r.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    const data = toTrainingData(set);
    const lab = splitData(data, { ...DEFAULT_SPLIT, mode: 'clip', seed: 31 });
    const names = [...new Set(lab.test.map((i) => data.clipPaths[data.clipOf[i]]))].sort();
    expect(meta.split.testClipNames.slice().sort()).toEqual(names);
    expect(meta.split.testClips).toBe(names.length);
  });

  it('trains with the plateau schedule the lab has', async () => {
    const dir = workDir('plateau');
    const npz = writeNpz(dir, 'f.npz', featureSet(6));
    const out = join(dir, 'model');
    const r = await train([npz, '--out', out, '--epochs', '2', '--settings', settingsFile(dir, SMALL_MODEL, { batchSize: 8, schedule: 'plateau', earlyStopping: 5 })]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')).training.schedule).toBe('plateau');
  });
});
