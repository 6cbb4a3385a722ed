import { describe, expect, it } from 'vitest';
import { compareReRun, type RunIdentity } from '../../../../src/model/training/reproduce';
import { weightsDigest } from '../../../../src/model/data/fingerprint';

const run: RunIdentity = { seed: 3, dataFingerprint: 'aaaa', path: 'fast-lstm', backend: 'wasm', weightsDigest: 'w1' };

describe('checking a re-run against its run', () => {
  it('matches only the same weights, and names the likeliest reason when they differ', () => {
    expect(compareReRun(run, { ...run })).toEqual({ matched: true, why: 'the same weights, bit for bit' });
    expect(compareReRun(run, { ...run, weightsDigest: 'w2', dataFingerprint: 'bbbb' }).why).toMatch(/features differ/);
    expect(compareReRun(run, { ...run, weightsDigest: 'w2', backend: 'webgl', path: 'tfjs' }).why).toMatch(/trained by tfjs on webgl, the run by fast-lstm on wasm/);
    expect(compareReRun(run, { ...run, weightsDigest: 'w2' })).toEqual({ matched: false, why: expect.stringMatching(/please report this/) });
  });

  it('digests weights so that one changed bit changes the digest', () => {
    const a = new Float32Array([0.5, -1.25, 3, 7]);
    const b = a.slice();
    new Uint32Array(b.buffer)[2] ^= 1;
    expect(weightsDigest(a.buffer)).toBe(weightsDigest(a.slice().buffer));
    expect(weightsDigest(b.buffer)).not.toBe(weightsDigest(a.buffer));
    expect(weightsDigest(new Uint8Array([1, 2, 3, 4, 5]).buffer)).not.toBe(weightsDigest(new Uint8Array([1, 2, 3, 4, 6]).buffer));
  });
});
