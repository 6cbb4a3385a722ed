/**
 * The same architecture from the same initial weights, trained on the same batches in the lab
 * (TensorFlow.js, the lab's compile: Adam, sparse categorical cross-entropy) and in
 * python/train.py's PyTorch modules, ends with the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, compileModel } from '../../../src/model/architectures/build';
import type { ModelConfig } from '../../../src/model/architectures/config';
import { modelToFiles } from '../../../src/saving/artifacts';
import { pythonWithTorch } from '../../support/python';

const ROOT = resolve(__dirname, '../../..');
const FRAMES = 20;
const BANDS = 6;
const CLASSES = 3;

/** PyTorch's side: train.py's module from the lab's initial weights, Adam over the same batches, the weights written as the lab's files. */
const PYTHON = `
import importlib.util, json, sys, numpy as np, torch, torch.nn.functional as F
spec = importlib.util.spec_from_file_location('train', sys.argv[1]); train = importlib.util.module_from_spec(spec); spec.loader.exec_module(train)
work = sys.argv[2]; m = json.load(open(work + '/config.json')); arch = m['architecture']
torch.set_num_threads(1)
model = train.ARCHITECTURES[arch](${FRAMES}, ${BANDS}, ${CLASSES}, m)
train.load_tfjs_weights(model, arch, ${FRAMES}, ${BANDS}, ${CLASSES}, m, work + '/init/model.json')
opt = torch.optim.Adam(model.parameters(), lr=m['learningRate'], eps=1e-7)
model.train()
for b in json.load(open(work + '/batches.json')):
    x = torch.tensor(b['x'], dtype=torch.float32).reshape(-1, ${FRAMES}, ${BANDS}); y = torch.tensor(b['y'])
    loss = F.cross_entropy(model(x), y); opt.zero_grad(); loss.backward(); opt.step()
topology, weights = train.tfjs_layers(model, arch, ${FRAMES}, ${BANDS}, ${CLASSES}, m)
manifest = json.load(open(work + '/init/model.json'))['weightsManifest'][0]['weights']
from gtzan_lab.model_files import lab_names
names = lab_names(weights, manifest); ours = {names[n]: w for n, w in weights}
open(work + '/torch.bin', 'wb').write(b''.join(ours[w['name']].tobytes() for w in manifest))  # in the lab's order
`;

async function writeFiles(model: tf.LayersModel, dir: string): Promise<void> {
  const f = await modelToFiles(model);
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(f.modelJson));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(f.weights));
}

describe('training parity: the lab and PyTorch', () => {
  for (const architecture of ['lstm', 'cnn', 'conv1d'] as const) {
    it(`${architecture}: three batches from the same weights give the same weights within 1e-4`, async () => {
      await tf.setBackend('cpu');
      const work = mkdtempSync(join(tmpdir(), 'gtzan-parity-'));
      const config: ModelConfig = { architecture, frames: FRAMES, coefficients: BANDS, classes: CLASSES, lstmUnits: [4, 4], denseUnits: 5, dropout: 0, learningRate: 1e-2, filters: 2 } as ModelConfig;
      writeFileSync(join(work, 'config.json'), JSON.stringify(config));
      const model = buildModel(config);
      await writeFiles(model, join(work, 'init'));
      let s = 3;
      const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  };
      const batches = Array.from({ length: 3 }, () => ({ x: Array.from({ length: 8 * FRAMES * BANDS }, rand), y: Array.from({ length: 8 }, (_, i) => (i + Math.floor(Math.abs(rand()) * 3)) % CLASSES) }));
      writeFileSync(join(work, 'batches.json'), JSON.stringify(batches));
      compileModel(model, config.learningRate);
      for (const b of batches) await model.trainOnBatch(tf.tensor3d(b.x, [8, FRAMES, BANDS]), tf.tensor1d(b.y, 'float32'));
      const lab = new Float32Array((await modelToFiles(model)).weights);
      execFileSync(pythonWithTorch(), ['-c', PYTHON, join(ROOT, 'python/train.py'), work], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      const torch = new Float32Array(new Uint8Array(readFileSync(join(work, 'torch.bin'))).buffer);
      expect(torch.length).toBe(lab.length);
      const before = new Float32Array(new Uint8Array(readFileSync(join(work, 'init', 'weights.bin'))).buffer);
      let worst = 0;
      let moved = 0;
      lab.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - torch[i]));
        moved = Math.max(moved, Math.abs(v - before[i]));
      });
      console.log(`${architecture}: weights moved up to ${moved.toExponential(1)}; lab against PyTorch, largest difference ${worst.toExponential(1)}`);
      expect(moved).toBeGreaterThan(1e-3);
      expect(worst).toBeLessThan(1e-4);
      model.dispose();
    });
  }
});
