/**
 * Hostile model zips: both command-line readers of a model zip (npm run predict and predict.py,
 * which ships in every zip) apply the lab's limits, refuse with the same reason and never write a control
 * character from a file to the terminal.
 */
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/dataset/limits';
import { DEFAULT_SETTINGS, MAX_SEGMENT_VALUES, SETTING_RANGES, validateSettings, type FeatureSettings } from '../../../src/dsp/settings';
import { buildModel } from '../../../src/model/architectures/build';
import { modelToFiles, type ModelFiles } from '../../../src/saving/artifacts';
import { encodeWav, synthClip } from '../../fixtures/audio';
import { pythonWithNumpy } from '../../support/python';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
// A control character anywhere: what must never reach a terminal from a file.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

interface Outcome { code: number; stdout: string; stderr: string }

async function outcome(command: string, args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: root, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the command-line readers of a model zip trust nothing in it', () => {
  let python: string;
  let dir: string;
  let clip: string;
  let files: ModelFiles;
  const genres = ['blues', 'jazz', 'rock'];
  const metadata = (change: Record<string, unknown> = {}) => ({
    format: 'gtzan-lab-model', version: 1, genres, features: { ...DEFAULT_SETTINGS }, inputShape: [130, 13], standardization: null, ...change,
  });
  const zip = (name: string, parts: { modelJson?: unknown; weights?: ArrayBuffer; metadata?: unknown } = {}) => {
    const path = join(dir, `${name}.zip`);
    writeFileSync(path, zipSync({
      'model.json': strToU8(JSON.stringify(parts.modelJson ?? files.modelJson)),
      'weights.bin': new Uint8Array(parts.weights ?? files.weights),
      'metadata.json': strToU8(JSON.stringify(parts.metadata ?? metadata())),
    }));
    return path;
  };
  const both = async (path: string) => ({
    py: await outcome(python, ['python/predict.py', path, clip]),
    node: await outcome(join(root, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', path, clip]),
  });
  /** Both refuse, with the same reason, in one line, without a traceback. */
  const refusedAlike = async (path: string, reason: string | RegExp) => {
    const { py, node } = await both(path);
    expect(py.code, py.stderr).toBe(1);
    expect(node.code, node.stderr).toBe(1);
    expect(py.stderr).not.toMatch(/Traceback/);
    const pyLine = py.stderr.trim().replace(/^predict\.py: /, '');
    expect(pyLine).toMatch(reason);
    expect(node.stderr.trim()).toBe(pyLine);
  };

  beforeAll(async () => {
    python = pythonWithNumpy();
    dir = mkdtempSync(join(tmpdir(), 'gtzan-hostile-zips-'));
    clip = join(dir, 'clip.wav');
    writeFileSync(clip, encodeWav({ samples: synthClip(1, 6, 22050, 3), sampleRate: 22050 }));
    await tf.setBackend('cpu');
    const model = buildModel({ frames: 130, coefficients: 13, classes: 3, lstmUnits: [4, 4], denseUnits: 4, dropout: 0, learningRate: 1e-3 });
    files = await modelToFiles(model);
    model.dispose();
  });

  it('predict.py holds the lab\'s limits and settings ranges, and words a bad setting as the lab does', async () => {
    const { stdout } = await run(python, ['-c', 'import json, predict; print(json.dumps({"limits": predict.LIMITS, "ranges": predict.SETTING_RANGES, "max": predict.MAX_SEGMENT_VALUES}))'], { cwd: join(root, 'python') });
    const py = JSON.parse(stdout);
    expect(py.limits).toEqual(JSON.parse(JSON.stringify(LIMITS)));
    expect(py.ranges).toEqual(Object.fromEntries(Object.entries(SETTING_RANGES).map(([k, r]) => [k, [r.min, r.max, r.integer]])));
    expect(py.max).toBe(MAX_SEGMENT_VALUES);
    const bad: Partial<FeatureSettings>[] = [
      { nFft: 2 ** 26 }, { nFft: 1000 }, { nMels: 4e6 }, { hopLength: 0 }, { hopLength: 0.5 }, { segments: 0 }, { trackSeconds: 0.001 },
      { sampleRate: '22050' as unknown as number }, { nMfcc: 200, nMels: 128 }, { padMode: 'edge' as 'constant' }, { featureType: 'cqt' as 'mfcc' },
      { segments: 1000, trackSeconds: 1 }, { nMels: 512, featureType: 'logmel', segments: 1 },
    ];
    const cases = bad.map((b) => ({ ...DEFAULT_SETTINGS, ...b }));
    const file = join(dir, 'settings-cases.json');
    writeFileSync(file, JSON.stringify(cases));
    const said = JSON.parse((await run(python, ['-c', `import json, sys, predict; print(json.dumps([predict.settings_problem(s) for s in json.load(open(sys.argv[1]))]))`, file], { cwd: join(root, 'python') })).stdout);
    expect(said).toEqual(cases.map((s) => validateSettings(s)));
    expect(said.every((m: string | null) => typeof m === 'string')).toBe(true);
  });

  it('settings the page refuses are refused by both, with the field named: no allocation of gigabytes, no traceback, no "nan %"', async () => {
    await refusedAlike(zip('nfft', { metadata: metadata({ features: { ...DEFAULT_SETTINGS, nFft: 2 ** 26 } }) }), 'metadata.json features: nFft must be from 16 to 32768, got 67108864');
    await refusedAlike(zip('nmels', { metadata: metadata({ features: { ...DEFAULT_SETTINGS, nMels: 4e6 } }) }), 'metadata.json features: nMels must be from 1 to 512, got 4000000');
    await refusedAlike(zip('hop0', { metadata: metadata({ features: { ...DEFAULT_SETTINGS, hopLength: 0 } }) }), 'metadata.json features: hopLength must be from 1 to 32768, got 0');
    await refusedAlike(zip('seg0', { metadata: metadata({ features: { ...DEFAULT_SETTINGS, segments: 0 } }) }), 'metadata.json features: segments must be from 1 to 1000, got 0');
    await refusedAlike(zip('std0', { metadata: metadata({ standardization: { mean: Array(13).fill(0), std: Array(13).fill(0) } }) }),
      'metadata.json "standardization": every mean must be a finite number and every deviation a number of at least 1e-6');
  });

  it('NaN weights, a topology of billions of weights, an activation not every reader runs, a shape that does not add up', async () => {
    const nan = new Float32Array(files.weights.slice(0));
    nan[nan.length - 1] = NaN;
    await refusedAlike(zip('nan', { weights: nan.buffer }), `weights.bin holds NaN (value ${nan.length} of ${nan.length}): a model with such a weight gives no probabilities`);
    const json = JSON.parse(JSON.stringify(files.modelJson));
    const layers = json.modelTopology.config.layers;
    const dense = layers[2];
    layers.splice(2, 1, ...Array.from({ length: 60 }, (_, i) => ({ ...dense, config: { ...dense.config, name: `d${i}`, units: 8192 } })));
    await refusedAlike(zip('huge', { modelJson: json }), /^model.json describes a model of [\d,]+ weights; the lab runs models of up to 134,217,728$/);
    const selu = JSON.parse(JSON.stringify(files.modelJson));
    selu.modelTopology.config.layers[2].config.activation = 'selu';
    await refusedAlike(zip('selu', { modelJson: selu }), 'layer 3 (Dense) uses the activation "selu"; the lab runs linear, relu, tanh, sigmoid, hard_sigmoid, softmax');
    await refusedAlike(zip('shape', { metadata: metadata({ inputShape: [259, 13] }) }),
      'metadata.json does not add up: its feature settings give segments of [130, 13] but it says the model takes [259, 13]');
  });

  it('an entry that declares more than the lab reads, or zip64\'s placeholder, is refused before it is inflated', async () => {
    const declare = (path: string, size: number) => {
      const bytes = new Uint8Array(readFileSync(path));
      const view = new DataView(bytes.buffer);
      for (let i = 0; i + 46 < bytes.length; i++) {
        if (view.getUint32(i, true) !== 0x02014b50) continue;
        const n = view.getUint16(i + 28, true);
        if (new TextDecoder().decode(bytes.subarray(i + 46, i + 46 + n)) === 'weights.bin') view.setUint32(i + 24, size, true);
      }
      const out = `${path}.${size}.zip`;
      writeFileSync(out, bytes);
      return out;
    };
    await refusedAlike(declare(zip('big'), 0xffffffff), 'weights.bin does not state its size (the zip64 placeholder, 4 GiB or more); the lab reads weights.bin of up to 512 MiB');
    await refusedAlike(declare(zip('big'), 600 * 2 ** 20), 'weights.bin is 600 MiB; the lab reads model files of up to 512 MiB');
  });

  it('genre names with terminal escapes are written as escapes by both', async () => {
    const evil = ['\u001b[2J\u001b[H\u001b[1;31mYOUR FILES ARE ENCRYPTED\u001b[0m', '\u001b]0;pwned-title\u0007blues', 'rock\r\u001b[Kjazz 99.9 %'];
    const { py, node } = await both(zip('ansi', { metadata: metadata({ genres: evil }) }));
    for (const o of [py, node]) {
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout + o.stderr).not.toMatch(CONTROL);
      expect(o.stdout).toContain('\\x1b[2J\\x1b[H\\x1b[1;31mYOUR FILES ARE ENCRYPTED');
    }
  });
});
