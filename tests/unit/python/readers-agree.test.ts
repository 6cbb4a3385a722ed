/**
 * The lab's limits live once, in schemas/limits.json: the page's readers, predict.py from the
 * source tree, and the predict.py a model zip ships (the limits written into it) hold the same
 * numbers; a standardisation deviation below the floor and a metadata.json with a bare NaN are
 * refused by the page's reader, npm run predict and predict.py alike.
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
import { DEFAULT_SETTINGS, MAX_SEGMENT_VALUES, SETTING_RANGES } from '../../../src/dsp/settings';
import { buildModel } from '../../../src/model/architectures/build';
import { DEFAULT_TRAIN, REFERENCE_MODEL, validateConfig } from '../../../src/model/architectures/config';
import { modelToFiles, type ModelFiles } from '../../../src/saving/artifacts';
import { parseMetadata, STANDARDIZATION_RANGE } from '../../../src/saving/metadata';
import { PREDICT_PY } from '../../../src/generated/python-files';
import { encodeWav, synthClip } from '../../fixtures/audio';
import { pythonWithNumpy } from '../../support/python';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const shared = JSON.parse(readFileSync(join(root, 'schemas/limits.json'), 'utf8'));

interface Outcome { code: number; stdout: string; stderr: string }

async function outcome(command: string, args: string[], cwd = root): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const LIMITS_OF = 'import json, predict; print(json.dumps({"limits": predict.LIMITS, "ranges": predict.SETTING_RANGES, "max": predict.MAX_SEGMENT_VALUES}))';

describe('every reader takes its limits from schemas/limits.json', { timeout: 180_000 }, () => {
  let python: string;
  let dir: string;
  let clip: string;
  let files: ModelFiles;
  const genres = ['blues', 'jazz', 'rock'];
  const metadataText = (change: Record<string, unknown> = {}) => JSON.stringify({
    format: 'gtzan-lab-model', version: 1, genres, features: { ...DEFAULT_SETTINGS }, inputShape: [130, 13], standardization: null, ...change,
  });
  const zip = (name: string, metadata: string) => {
    const path = join(dir, `${name}.zip`);
    writeFileSync(path, zipSync({ 'model.json': strToU8(JSON.stringify(files.modelJson)), 'weights.bin': new Uint8Array(files.weights), 'metadata.json': strToU8(metadata) }));
    return path;
  };
  /** predict.py and npm run predict both refuse, in one line, with these words. */
  const refusedAlike = async (path: string, reason: string) => {
    const py = await outcome(python, ['python/predict.py', path, clip]);
    const node = await outcome(join(root, 'node_modules/.bin/tsx'), ['src/cli/predict.ts', path, clip]);
    expect(py.code, py.stderr).toBe(1);
    expect(node.code, node.stderr).toBe(1);
    expect(py.stderr.trim()).toBe(`predict.py: ${reason}`);
    expect(node.stderr.trim()).toBe(reason);
  };

  beforeAll(async () => {
    python = pythonWithNumpy();
    dir = mkdtempSync(join(tmpdir(), 'gtzan-readers-agree-'));
    clip = join(dir, 'clip.wav');
    writeFileSync(clip, encodeWav({ samples: synthClip(1, 6, 22050, 3), sampleRate: 22050 }));
    await tf.setBackend('cpu');
    const model = buildModel({ frames: 130, coefficients: 13, classes: 3, lstmUnits: [4, 4], denseUnits: 4, dropout: 0, learningRate: 1e-3 });
    files = await modelToFiles(model);
    model.dispose();
  }, 120_000);

  it('the page\'s limits, predict.py\'s and the shipped predict.py\'s are the numbers of schemas/limits.json', async () => {
    expect(JSON.parse(JSON.stringify(LIMITS))).toEqual(shared.limits);
    expect(SETTING_RANGES).toEqual(shared.settingRanges);
    expect(MAX_SEGMENT_VALUES).toBe(shared.maxSegmentValues);
    const expected = {
      limits: shared.limits,
      ranges: Object.fromEntries(Object.entries(shared.settingRanges as Record<string, { min: number; max: number; integer: boolean }>).map(([k, r]) => [k, [r.min, r.max, r.integer]])),
      max: shared.maxSegmentValues,
    };
    expect(JSON.parse((await outcome(python, ['-c', LIMITS_OF], join(root, 'python'))).stdout)).toEqual(expected);
    // The zip's copy, alone in a folder with no schemas/ anywhere above it.
    const alone = mkdtempSync(join(tmpdir(), 'gtzan-shipped-predict-'));
    writeFileSync(join(alone, 'predict.py'), PREDICT_PY);
    const shipped = await outcome(python, ['-c', LIMITS_OF], alone);
    expect(shipped.stderr).toBe('');
    expect(JSON.parse(shipped.stdout)).toEqual(expected);
  });

  it('the lab\'s form takes exactly the training ranges of schemas/limits.json, which train.py applies', () => {
    const base = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 3, architecture: 'cnn' as const, filters: 16 };
    const train = { ...DEFAULT_TRAIN, augment: { timeMask: 0, freqMask: 0, shift: 0 } };
    const at = (key: string, v: number) => validateConfig(
      { ...base, ...(key === 'lstmUnits' ? { lstmUnits: [v] } : key in base ? { [key]: v } : {}) },
      { ...train, ...(key === 'augment' ? { augment: { timeMask: v, freqMask: 0, shift: 0 } } : key in base || key === 'lstmUnits' ? {} : { [key]: v }) },
    );
    for (const [key, r] of Object.entries(shared.training as Record<string, { min: number; max: number }>)) {
      expect(at(key, r.min), `${key} ${r.min}`).toBeUndefined();
      expect(at(key, r.max), `${key} ${r.max}`).toBeUndefined();
      expect(at(key, r.min - 1), `${key} ${r.min - 1}`).toBeDefined();
      expect(at(key, r.max + 1), `${key} ${r.max + 1}`).toBeDefined();
    }
  });

  it('a deviation below 1e-6 is refused by every reader with the same sentence; 1e-6 itself is taken', async () => {
    const tiny = metadataText({ standardization: { mean: Array(13).fill(0), std: Array(13).fill(1e-45) } });
    expect(STANDARDIZATION_RANGE).toBe('metadata.json "standardization": every mean must be a finite number and every deviation a number of at least 1e-6');
    expect(() => parseMetadata(JSON.parse(tiny))).toThrow(STANDARDIZATION_RANGE);
    await refusedAlike(zip('tiny-std', tiny), STANDARDIZATION_RANGE);
    const floor = metadataText({ standardization: { mean: Array(13).fill(0), std: Array(13).fill(1e-6) } });
    expect(parseMetadata(JSON.parse(floor)).standardization!.std[0]).toBe(1e-6);
    const py = await outcome(python, ['python/predict.py', zip('floor-std', floor), clip, '--json']);
    expect(py.code, py.stderr).toBe(0);
  });

  it('a metadata.json with a bare NaN is not JSON to predict.py either', async () => {
    const bare = metadataText({ metrics: { testLoss: 0 } }).replace('"testLoss":0', '"testLoss":NaN');
    expect(bare).toContain('NaN');
    await refusedAlike(zip('bare-nan', bare), 'metadata.json in the zip is not valid JSON');
  });
});
