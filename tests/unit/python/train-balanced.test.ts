/**
 * python/train.py's balanced clip accuracy in metadata.json: its function runs with numpy alone
 * (taken out of train.py, so this test needs no PyTorch) and agrees with the lab's.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from '../../../src/model/evaluation/evaluate';
import { pythonWithNumpy } from '../../support/python';

const TRAIN_PY = join(resolve(__dirname, '../../..'), 'python/train.py');

/** Runs train.py's balanced_clip_metrics on (probabilities, labels, clips) by itself. */
function balancedInPython(probs: number[][], labels: number[], clips: number[]): { testBalancedClipAccuracy: number; testBalancedClipInterval: [number, number] } {
  const script = `
import ast, json, math, sys
import numpy as np
tree = ast.parse(open(sys.argv[1]).read())
fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == 'balanced_clip_metrics')
scope = {'np': np, 'math': math}
exec(compile(ast.Module(body=[fn], type_ignores=[]), 'train.py', 'exec'), scope)
args = json.loads(sys.stdin.read())
print(json.dumps(scope['balanced_clip_metrics'](*args)))
`;
  return JSON.parse(execFileSync(pythonWithNumpy(), ['-c', script, TRAIN_PY], { input: JSON.stringify([probs, labels, clips]), encoding: 'utf8' }));
}

describe('python/train.py\'s balanced clip accuracy', () => {
  it('is the mean per-genre clip accuracy the lab gives, with a 95 % interval around it', () => {
    // Genre 0: 6 clips, 5 right; genre 1: 2 clips, 1 right; genre 2: no test clip. Two segments a clip.
    const clipGenre = [0, 0, 0, 0, 0, 0, 1, 1];
    const clipPredicted = [0, 0, 0, 0, 0, 1, 1, 0];
    const labels = clipGenre.flatMap((g) => [g, g]);
    const clips = clipGenre.flatMap((_, c) => [c, c]);
    const probs = clipPredicted.flatMap((p) => [0, 1].map(() => [0, 1, 2].map((k) => (k === p ? 0.8 : 0.1))));
    const py = balancedInPython(probs, labels, clips);
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

  it('falls back to Wilson\'s interval when every genre is all right, and gives nothing without test clips', () => {
    const py = balancedInPython([[0.9, 0.1], [0.1, 0.9]], [0, 1], [0, 1]);
    expect(py.testBalancedClipAccuracy).toBe(1);
    expect(py.testBalancedClipInterval[0]).toBeCloseTo(0.3424, 3);
    expect(py.testBalancedClipInterval[1]).toBe(1);
    expect(balancedInPython([], [], [])).toEqual({});
  });
});
