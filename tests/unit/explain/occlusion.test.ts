import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { deletionCheck } from '../../../src/explain/deletion-check';
import { buildModel } from '../../../src/model/architectures/build';
import type { ModelConfig } from '../../../src/model/architectures/config';
import { specOfModel } from '../../../src/model/architectures/spec-of-model';
import { fastestPredict, layersPredict } from '../../../src/explain/model-predict';
import { genreMap, occlusionMap, predictedGenre, topRegions, type Predict } from '../../../src/explain/occlusion';

const FRAMES = 26;
const BANDS = 16;
/** The region the synthetic model listens to: frames 10–14, bands 4–5 (patch (2, 2) of a 5 × 2 grid). */
const inRegion = (f: number, b: number) => f >= 10 && f < 15 && b >= 4 && b < 6;

/** Genre 0 ("loud") when the region is above zero on average, genre 1 otherwise; the rest is ignored. */
function regionModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [FRAMES, BANDS] }),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  const w = new Float32Array(FRAMES * BANDS * 2);
  for (let f = 0; f < FRAMES; f++) for (let b = 0; b < BANDS; b++) {
    if (!inRegion(f, b)) continue;
    w[(f * BANDS + b) * 2] = 0.6;
    w[(f * BANDS + b) * 2 + 1] = -0.6;
  }
  // Bias toward genre 1: with the region at the baseline (0) the model says genre 1.
  model.layers[1].setWeights([tf.tensor2d(w, [FRAMES * BANDS, 2]), tf.tensor1d([-2, 2])]);
  return model;
}

/** A segment of noise whose region is at `level`. */
function segment(level: number, seed: number): Float32Array {
  const x = new Float32Array(FRAMES * BANDS);
  let s = seed;
  for (let f = 0; f < FRAMES; f++) for (let b = 0; b < BANDS; b++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[f * BANDS + b] = inRegion(f, b) ? level : (s / 2147483648) * 2 - 1;
  }
  return x;
}

describe('occlusion explanations', () => {
  const model = regionModel();
  const predict = layersPredict(model, FRAMES, BANDS);
  const grid = { patchFrames: 5, patchBands: 2 };

  it('marks the one region a model listens to, and nothing else, for the genre it predicts', async () => {
    const m = await occlusionMap(predict, ['loud', 'quiet'], [segment(2, 1)], FRAMES, BANDS, grid);
    expect([m.timePatches, m.bandPatches]).toEqual([6, 8]);
    expect(predictedGenre(m)).toBe(0);
    const w = genreMap(m, 0, 0);
    const best = topRegions(m, 0, 1)[0];
    expect([best.timePatch, best.bandPatch]).toEqual([2, 2]);
    expect(best.frames).toEqual([10, 15]);
    expect(best.bands).toEqual([4, 6]);
    expect(best.weight).toBeGreaterThan(0.5);
    // Every other patch leaves the probability exactly where it was.
    w.forEach((v, p) => { if (p !== 2 * 8 + 2) expect(Math.abs(v)).toBeLessThan(1e-6); });
    // For the other genre the same patch counts against it: occluding it raises that genre.
    expect(genreMap(m, 0, 1)[2 * 8 + 2]).toBeCloseTo(-best.weight, 5);
  });

  it('reports progress up to every forward pass and stops when asked', async () => {
    const seen: number[] = [];
    await occlusionMap(predict, ['loud', 'quiet'], [segment(2, 1), segment(-2, 2)], FRAMES, BANDS, { ...grid, batchSize: 20, onProgress: (d) => { seen.push(d); } });
    expect(seen.at(-1)).toBe(2 * 49);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await expect(occlusionMap(predict, ['loud', 'quiet'], [segment(2, 1)], FRAMES, BANDS, { ...grid, shouldStop: () => true })).rejects.toThrow('stopped');
  });

  it('replaces a patch by the segment mean when asked, not by zero', async () => {
    // A model that reads one value: occluding by the segment's mean (3) keeps it, by 0 would not.
    const reads: number[] = [];
    const probe: Predict = async (x, n) => {
      for (let i = 0; i < n; i++) reads.push(x[i * FRAMES * BANDS]);
      return new Float32Array(n * 2).fill(0.5);
    };
    await occlusionMap(probe, ['a', 'b'], [new Float32Array(FRAMES * BANDS).fill(3)], FRAMES, BANDS, { ...grid, baseline: 'segment-mean' });
    expect(new Set(reads)).toEqual(new Set([3]));
  });
});

describe('the deletion check', () => {
  it('removing the regions the explanation marks costs more accuracy than removing as many random ones', async () => {
    const model = regionModel();
    const segments = Array.from({ length: 20 }, (_, i) => segment(i % 2 === 0 ? 2 : -2, i + 1));
    const labels = segments.map((_, i) => i % 2);
    const r = await deletionCheck(layersPredict(model, FRAMES, BANDS), ['loud', 'quiet'], segments, labels, FRAMES, BANDS,
      { patchFrames: 5, patchBands: 2, fraction: 1 / 48, randomDraws: 4 });
    expect(r.patchesRemoved).toBe(1);
    expect(r.accuracy).toBe(1);
    // The marked patch is the whole evidence for "loud": those ten segments turn "quiet".
    expect(r.explainedRemoved).toBe(0.5);
    expect(r.randomRemoved).toBeGreaterThan(0.85);
  });
});

describe('the forward pass explanations use', () => {
  it('the lab\'s CNN kernel gives the probabilities tfjs gives, for both CNNs', async () => {
    await tf.setBackend('cpu');
    for (const architecture of ['cnn', 'conv1d'] as const) {
      const config: ModelConfig = { frames: 40, coefficients: 16, classes: 3, architecture, filters: 8, lstmUnits: [4], denseUnits: 12, dropout: 0, learningRate: 1e-2 };
      const model = buildModel(config);
      // The loaded model is recognised as the lab's CNN, so the kernel, not tfjs, predicts below.
      expect(specOfModel(model)?.kind).toBe(architecture === 'cnn' ? 'cnn2d' : 'conv1d');
      const x = Float32Array.from({ length: 5 * 40 * 16 }, (_, i) => Math.sin(i * 0.37));
      const fast = await fastestPredict(model, 40, 16)(x, 5);
      const slow = await layersPredict(model, 40, 16)(x, 5);
      expect(fast.length).toBe(15);
      fast.forEach((v, i) => { expect(v).toBeCloseTo(slow[i], 4); });
    }
  });
});
