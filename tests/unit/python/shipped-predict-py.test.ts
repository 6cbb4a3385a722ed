/**
 * The predict.py a model zip ships is python/predict.py with the python/gtzan_lab modules it
 * imports written into it (npm run build:python): alone in an empty folder, with numpy and
 * soundfile only, it classifies a clip and computes its features exactly as the source does.
 */
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/dsp/settings';
import { PREDICT_PY } from '../../../src/generated/python-files';
import { buildModel } from '../../../src/model/architectures/build';
import { modelToFiles } from '../../../src/saving/artifacts';
import { encodeWav, synthClip } from '../../fixtures/audio';
import { pythonWithNumpy } from '../../support/python';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
/** No PYTHONPATH: the shipped file finds nothing of the package beside it or on the path. */
const { PYTHONPATH: _, ...bare } = process.env;

describe('the shipped predict.py runs alone', { timeout: 180_000 }, () => {
  let python: string;
  let alone: string;
  let zip: string;
  let clip: string;

  beforeAll(async () => {
    python = pythonWithNumpy();
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-shipped-inputs-'));
    alone = mkdtempSync(join(tmpdir(), 'gtzan-shipped-alone-'));
    writeFileSync(join(alone, 'predict.py'), PREDICT_PY);
    clip = join(dir, 'clip.wav');
    writeFileSync(clip, encodeWav({ samples: synthClip(2, 9, 22050, 11), sampleRate: 22050 }));
    await tf.setBackend('cpu');
    const model = buildModel({ frames: 130, coefficients: 13, classes: 3, lstmUnits: [4, 4], denseUnits: 4, dropout: 0, learningRate: 1e-3 });
    const files = await modelToFiles(model);
    model.dispose();
    const metadata = { format: 'gtzan-lab-model', version: 2, genres: ['blues', 'jazz', 'rock'], features: { ...DEFAULT_SETTINGS }, inputShape: [130, 13], standardization: null };
    zip = join(dir, 'model.zip');
    writeFileSync(zip, zipSync({ 'model.json': strToU8(JSON.stringify(files.modelJson)), 'weights.bin': new Uint8Array(files.weights), 'metadata.json': strToU8(JSON.stringify(metadata)) }));
  }, 120_000);

  it('holds no import of the package: its modules are written into it', () => {
    expect(PREDICT_PY).not.toMatch(/^\s*(import gtzan_lab|from gtzan_lab|from \.)/m);
    expect(PREDICT_PY).toMatch(/^def run_model\(/m);
    expect(PREDICT_PY).toMatch(/^def check_topology\(/m);
  });

  it('imports neither torch nor the package, from the source tree or alone', async () => {
    const loaded = 'import sys, predict; print(sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "gtzan_lab")))';
    const shipped = await run(python, ['-c', loaded], { cwd: alone, env: bare });
    const source = await run(python, ['-c', loaded], { cwd: join(root, 'python') });
    expect(shipped.stdout.trim()).toBe('[]');
    expect(source.stdout).not.toMatch(/torch/);
    expect(source.stdout).toMatch(/gtzan_lab\.model_reading/);
  });

  it('classifies a clip the same as python/predict.py, from a folder holding predict.py alone', async () => {
    const shipped = await run(python, [join(alone, 'predict.py'), zip, clip, '--json'], { cwd: alone, env: bare });
    const source = await run(python, ['python/predict.py', zip, clip, '--json'], { cwd: root });
    expect(shipped.stderr).toBe('');
    expect(readdirSync(alone)).toEqual(['predict.py']);
    const answer = JSON.parse(shipped.stdout) as { genres: string[]; segments: number[][] };
    expect(answer.genres).toEqual(['blues', 'jazz', 'rock']);
    expect(answer.segments).toHaveLength(3);
    expect(shipped.stdout).toBe(source.stdout);
  });

  it('prints the same answer and the same features as python/predict.py', async () => {
    const shippedText = await run(python, [join(alone, 'predict.py'), zip, clip], { cwd: alone, env: bare });
    const sourceText = await run(python, ['python/predict.py', zip, clip], { cwd: root });
    expect(shippedText.stdout).toMatch(/clip\.wav: 9\.0 s, 3 segments\n/);
    expect(shippedText.stdout).toBe(sourceText.stdout);
    const shippedMfcc = await run(python, [join(alone, 'predict.py'), '--mfcc', clip, '--whole'], { cwd: alone, env: bare, maxBuffer: 64 << 20 });
    const sourceMfcc = await run(python, ['python/predict.py', '--mfcc', clip, '--whole'], { cwd: root, maxBuffer: 64 << 20 });
    expect(JSON.parse(shippedMfcc.stdout)).toHaveLength(3);
    expect(shippedMfcc.stdout).toBe(sourceMfcc.stdout);
  });
});
