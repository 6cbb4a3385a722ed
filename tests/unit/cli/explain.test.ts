import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, framesPerSegment } from '../../../src/dsp/settings';
import { modelToFiles } from '../../../src/saving/artifacts';
import type { ModelMetadata } from '../../../src/saving/metadata';
import { encodeWav } from '../../fixtures/audio';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');

/**
 * A model that says "loud" the more log-mel bands 56–63 (the top eighth: above about 7 kHz)
 * carry energy anywhere in the segment, and "quiet" for silence: its explanation must point at the top band
 * patches where a hiss sits.
 */
async function modelFolder(dir: string): Promise<string> {
  const settings = { ...DEFAULT_SETTINGS, featureType: 'logmel' as const, nMels: 64 };
  const frames = framesPerSegment(settings);
  const model = tf.sequential({ layers: [
    tf.layers.reshape({ targetShape: [frames * 64], inputShape: [frames, 64] }),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  const w = new Float32Array(frames * 64 * 2);
  for (let f = 0; f < frames; f++) for (let b = 56; b < 64; b++) {
    w[(f * 64 + b) * 2] = 0.002;
    w[(f * 64 + b) * 2 + 1] = -0.002;
  }
  model.layers[1].setWeights([tf.tensor2d(w, [frames * 64, 2]), tf.tensor1d([0, 0])]);
  const files = await modelToFiles(model);
  const metadata = {
    format: 'gtzan-lab-model', version: 1, genres: ['loud', 'quiet'], features: settings, inputShape: [frames, 64],
    // Standardised so that silence (80 dB below the clip's loudest, the floor) is 0, the training mean.
    standardization: { mean: new Array(64).fill(-62), std: new Array(64).fill(20) },
    model: { architecture: 'lstm', lstmUnits: [8], denseUnits: 8, dropout: 0, learningRate: 1e-3 },
    training: { epochs: 1, batchSize: 1, seed: 1, standardize: true, epochsCompleted: 1, backend: 'cpu' },
    split: { mode: 'clip', seed: 1, validationFraction: 0.2, testFraction: 0.2, trainSegments: 0, validationSegments: 0, testSegments: 0, testClipNames: [], sizes: '' },
    metrics: { split: '', testSegmentAccuracy: 0, testClipAccuracy: 0, testLoss: 0 },
  } as unknown as ModelMetadata;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(files.modelJson));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(files.weights));
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(metadata));
  return dir;
}

describe('npm run explain', () => {
  it('names the time and frequency of the region a model relies on, and writes every genre\'s map as JSON', async () => {
    await tf.setBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-explain-cli-'));
    await modelFolder(dir);
    // 3.5 s: silence, with a 9 kHz tone from 1.0 to 1.5 s.
    const samples = new Float32Array(Math.round(3.5 * 22050));
    for (let i = 22050; i < 1.5 * 22050; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 9000 * i) / 22050);
    writeFileSync(join(dir, 'clip.wav'), encodeWav({ samples, sampleRate: 22050 }));
    const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/explain.ts', dir, join(dir, 'clip.wav'), '--out', join(dir, 'map.json'), '--backend', 'cpu'], { cwd: root });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/clip\.wav: 1 segments, 13 × 8 patches each/);
    expect(lines[1]).toMatch(/model says loud; the regions that moved it most toward loud:/);
    // The strongest region: the top eighth of the mel bands, within the tone.
    const [, start, end, lo, hi] = lines[2].match(/([\d.]+)–([\d.]+) s\s+(\d+)–(\d+) Hz/)!.map(Number);
    expect(start).toBeGreaterThanOrEqual(0.9);
    expect(end).toBeLessThanOrEqual(1.6);
    expect(lo).toBeLessThan(9000);
    expect(hi).toBeGreaterThan(9000);
    const map = JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8'));
    expect(map.predicted).toBe('loud');
    expect(map.segments).toHaveLength(1);
    expect(map.segments[0].weights).toHaveLength(2);
    expect(map.segments[0].weights[0]).toHaveLength(13);
    expect(map.segments[0].weights[0][0]).toHaveLength(8);
  }, 120_000);

  it('writes the map as a PNG for --out x.png: the frames across, the bands up, the strongest regions outlined', async () => {
    await tf.setBackend('cpu');
    const dir = mkdtempSync(join(tmpdir(), 'gtzan-explain-png-'));
    await modelFolder(dir);
    const samples = new Float32Array(Math.round(3.5 * 22050));
    for (let i = 22050; i < 1.5 * 22050; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 9000 * i) / 22050);
    writeFileSync(join(dir, 'clip.wav'), encodeWav({ samples, sampleRate: 22050 }));
    await run(join(root, 'node_modules/.bin/tsx'), ['src/cli/explain.ts', dir, join(dir, 'clip.wav'), '--out', join(dir, 'map.png'), '--backend', 'cpu'], { cwd: root });
    const png = readFileSync(join(dir, 'map.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect([width, height]).toEqual([framesPerSegment(DEFAULT_SETTINGS), 64 * 2]);
    expect([png[24], png[25]]).toEqual([8, 6]);
    const idat = png.indexOf('IDAT', 0, 'latin1');
    const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(rows.length).toBe(height * (1 + 4 * width));
    // The top eighth of the bands (the first 16 rows) holds the outlined regions; the bottom rows none.
    const dark = (y0: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = 0; x < width; x++) if (rows[y * (1 + 4 * width) + 1 + 4 * x] === 20) n++;
      return n;
    };
    expect(dark(0, 16)).toBeGreaterThan(0);
    expect(dark(32, height)).toBe(0);
  }, 120_000);
});
