import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Augmenter, augmentOn, NO_AUGMENT } from '../../../../src/model/data/augment';
import { batchTensors, gather } from '../../../../src/model/data/batches';
import { validateConfig, DEFAULT_TRAIN, REFERENCE_MODEL } from '../../../../src/model/architectures/config';
import { toTrainingData, type TrainingData } from '../../../../src/dataset/training-data';
import { DEFAULT_SPLIT } from '../../../../src/model/data/split';
import { runSession } from '../../../../src/model/training/session';
import { syntheticFeatures } from '../../../fixtures/features';

const FRAMES = 10;
const COEFFS = 4;

/**
 * Two clips of three segments and one of two: every value names where it came from
 * (1000 × segment + 10 × frame + coefficient), so a shifted window shows its sources.
 */
function labelled(): TrainingData {
  const clipOf = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2]);
  const n = clipOf.length;
  const x = new Float32Array(n * FRAMES * COEFFS);
  for (let s = 0; s < n; s++) for (let t = 0; t < FRAMES; t++) for (let c = 0; c < COEFFS; c++) x[(s * FRAMES + t) * COEFFS + c] = 1000 * s + 10 * t + c;
  return { genres: ['a', 'b'], clipPaths: ['a/1', 'a/2', 'b/1'], frames: FRAMES, coefficients: COEFFS, x, labels: Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1]), clipOf };
}

const all = [0, 1, 2, 3, 4, 5, 6, 7];
const sourceOf = (v: number) => ({ segment: Math.floor(v / 1000), frame: Math.floor((v % 1000) / 10), coefficient: v % 10 });

describe('augmentation of training batches', () => {
  it('is off by default and, when off, gives the plain batch', () => {
    const d = labelled();
    expect(augmentOn(undefined)).toBe(false);
    expect(augmentOn(NO_AUGMENT)).toBe(false);
    expect(augmentOn({ ...NO_AUGMENT, shift: 1 })).toBe(true);
    const plain = gather(d, d.x, [4, 1]);
    expect(new Augmenter(d, NO_AUGMENT, all, 1).batch(d.x, [4, 1])).toEqual(plain);
    const { xs, ys } = batchTensors(d, d.x, [4, 1]);
    expect(Float32Array.from(xs.dataSync())).toEqual(plain);
    tf.dispose([xs, ys]);
  });

  it('is reproducible from its seed, and another seed gives other batches', () => {
    const d = labelled();
    const config = { timeMask: 3, freqMask: 2, shift: 4 };
    const run = (seed: number) => { const a = new Augmenter(d, config, all, seed); return [a.batch(d.x, all), a.batch(d.x, all)]; };
    expect(run(7)).toEqual(run(7));
    expect(run(7)[0]).not.toEqual(run(8)[0]);
    const before = d.x.slice();
    run(9);
    expect(d.x).toEqual(before); // the features themselves are never written
  });

  it('shifts a window along its own clip: later frames from the next segment, earlier from the previous', () => {
    const d = labelled();
    const a = new Augmenter(d, { timeMask: 0, freqMask: 0, shift: 6 }, all, 3);
    let shifted = 0;
    for (let round = 0; round < 40; round++) {
      const out = a.batch(d.x, all);
      all.forEach((i, k) => {
        const seg = out.subarray(k * FRAMES * COEFFS, (k + 1) * FRAMES * COEFFS);
        const first = sourceOf(seg[0]);
        // The window is continuous time: each frame follows the one before it in the clip.
        for (let t = 0; t < FRAMES; t++) {
          const src = sourceOf(seg[t * COEFFS]);
          expect(d.clipOf[src.segment]).toBe(d.clipOf[i]);
          const pos = (src.segment - first.segment) * FRAMES + src.frame - first.frame;
          expect(pos).toBe(t);
          for (let c = 0; c < COEFFS; c++) expect(sourceOf(seg[t * COEFFS + c]).coefficient).toBe(c);
        }
        const offset = (first.segment - i) * FRAMES + first.frame;
        expect(Math.abs(offset)).toBeLessThanOrEqual(6);
        if (offset !== 0) shifted++;
      });
    }
    expect(shifted).toBeGreaterThan(100);
  });

  it('never reaches into a segment outside the training split', () => {
    const d = labelled();
    const train = [0, 2, 3, 4, 6]; // segments 1 and 5 and 7 are held out
    const a = new Augmenter(d, { timeMask: 0, freqMask: 0, shift: 9 }, train, 5);
    for (let round = 0; round < 50; round++) {
      const out = a.batch(d.x, train);
      for (let v = 0; v < out.length; v++) expect(train).toContain(sourceOf(out[v]).segment);
    }
  });

  it('masks at most two bands of time and two of frequency, each no wider than asked, with the segment mean', () => {
    const d = labelled();
    const a = new Augmenter(d, { timeMask: 2, freqMask: 1, shift: 0 }, all, 11);
    let masked = 0;
    for (let round = 0; round < 30; round++) {
      const out = a.batch(d.x, [3]);
      const own = d.x.subarray(3 * FRAMES * COEFFS, 4 * FRAMES * COEFFS);
      const mean = own.reduce((s, v) => s + v, 0) / own.length;
      const changed = [...out.keys()].filter((j) => out[j] !== own[j]);
      for (const j of changed) expect(out[j]).toBeCloseTo(mean, 3);
      // 2 time masks × 2 frames × 4 coefficients + 2 frequency masks × 1 band × 10 frames.
      expect(changed.length).toBeLessThanOrEqual(2 * 2 * COEFFS + 2 * FRAMES);
      masked += changed.length;
    }
    expect(masked).toBeGreaterThan(0);
  });

  it('refuses widths that are not whole numbers from 0 to 1000', () => {
    const model = { ...REFERENCE_MODEL, frames: 130, coefficients: 13, classes: 10 };
    expect(validateConfig(model, { ...DEFAULT_TRAIN, augment: { timeMask: 10, freqMask: 2, shift: 20 } })).toBeUndefined();
    expect(validateConfig(model, { ...DEFAULT_TRAIN, augment: { timeMask: -1, freqMask: 0, shift: 0 } })).toMatch(/Time mask/);
    expect(validateConfig(model, { ...DEFAULT_TRAIN, augment: { timeMask: 0, freqMask: 1.5, shift: 0 } })).toMatch(/Frequency mask/);
    expect(validateConfig(model, { ...DEFAULT_TRAIN, augment: { timeMask: 0, freqMask: 0, shift: 5000 } })).toMatch(/Time shift/);
  });
});

describe('augmentation in a training run', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('changes only training batches: every augmented segment is a training one, the features stay as they were, and every test segment is scored', async () => {
    const data = toTrainingData(syntheticFeatures({ genres: 2, clipsPerGenre: 6, seconds: 9 }));
    const before = data.x.slice();
    const original = Augmenter.prototype.batch;
    const calls: number[][] = [];
    Augmenter.prototype.batch = function (this: Augmenter, x: Float32Array, indices: readonly number[]) {
      calls.push([...indices]);
      return original.call(this, x, indices);
    };
    try {
      const r = await runSession(data, {
        model: { ...REFERENCE_MODEL, architecture: 'conv1d', filters: 4, denseUnits: 8, learningRate: 1e-2 },
        train: { epochs: 2, batchSize: 8, seed: 1, standardize: false, augment: { timeMask: 5, freqMask: 2, shift: 10 } },
        split: DEFAULT_SPLIT,
      });
      const train = new Set(r.split.train);
      const augmented = calls.flat();
      expect(augmented).toHaveLength(2 * r.split.train.length);
      expect(augmented.every((i) => train.has(i))).toBe(true);
      expect(data.x).toEqual(before);
      expect(r.evaluation.segments).toBe(r.split.test.length);
      r.model.dispose();
    } finally {
      Augmenter.prototype.batch = original;
    }
  });
});
