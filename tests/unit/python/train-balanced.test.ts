/**
 * python/train.py's balanced clip accuracy in metadata.json: its function runs with numpy alone
 * (so this test needs no PyTorch) and agrees with the lab's.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from '../../../src/evaluation/evaluate';
import { pythonWithNumpy, runPythonScript } from '../../support/python';

const ROOT = resolve(__dirname, '../../..');

/** Runs python/train.py's balanced_clip_metrics (gtzan_lab/intervals.py) on (probabilities, labels, clips). */
async function balancedInPython(probs: number[][], labels: number[], clips: number[]): Promise<{ testBalancedClipAccuracy: number; testBalancedClipInterval: [number, number] }> {
  const script = `
import json, sys
sys.path.insert(0, 'python')
from gtzan_lab.intervals import balanced_clip_metrics
print(json.dumps(balanced_clip_metrics(*json.loads(sys.argv[1]))))
`;
  return JSON.parse(await runPythonScript(pythonWithNumpy(), script, [JSON.stringify([probs, labels, clips])], ROOT));
}

describe('python/train.py\'s balanced clip accuracy', () => {
  it('is the mean per-genre clip accuracy the lab gives, with a 95 % interval around it', async () => {
    // Genre 0: 6 clips, 5 right; genre 1: 2 clips, 1 right; genre 2: no test clip. Two segments a clip.
    const clipGenre = [0, 0, 0, 0, 0, 0, 1, 1];
    const clipPredicted = [0, 0, 0, 0, 0, 1, 1, 0];
    const labels = clipGenre.flatMap((g) => [g, g]);
    const clips = clipGenre.flatMap((_, c) => [c, c]);
    const probs = clipPredicted.flatMap((p) => [0, 1].map(() => [0, 1, 2].map((k) => (k === p ? 0.8 : 0.1))));
    const py = await balancedInPython(probs, labels, clips);
    const lab = evaluatePredictions({ genres: ['a', 'b', 'c'], labels: Int32Array.from(labels), clipOf: Int32Array.from(clips), clipPaths: clipGenre.map((_, c) => `${c}`) },
      labels.map((_, i) => i), Float32Array.from(probs.flat()));
    expect(py.testBalancedClipAccuracy).toBeCloseTo((5 / 6 + 1 / 2) / 2, 10);
    expect(py.testBalancedClipAccuracy).toBeCloseTo(lab.balancedClipAccuracy!, 10);
    const [low, high] = py.testBalancedClipInterval;
    expect(low).toBeLessThan(py.testBalancedClipAccuracy);
    expect(high).toBeGreaterThan(py.testBalancedClipAccuracy);
    // A bootstrap of other random numbers: near the lab's interval, not equal to it.
    expect(Math.abs(low - lab.intervals!.balancedClip!.low)).toBeLessThan(0.1);
    expect(Math.abs(high - lab.intervals!.balancedClip!.high)).toBeLessThan(0.1);
  });

  it('falls back to Wilson\'s interval when every genre is all right, and gives nothing without test clips', async () => {
    const py = await balancedInPython([[0.9, 0.1], [0.1, 0.9]], [0, 1], [0, 1]);
    expect(py.testBalancedClipAccuracy).toBe(1);
    expect(py.testBalancedClipInterval[0]).toBeCloseTo(0.3424, 3);
    expect(py.testBalancedClipInterval[1]).toBe(1);
    expect(await balancedInPython([], [], [])).toEqual({});
  });
});
