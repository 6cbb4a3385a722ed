import { describe, expect, it } from 'vitest';
import { testSplitSegments } from '../../../src/explain/deletion-check';

const seg = (v: number) => new Float32Array([v]);

describe('the deletion check\'s test split', () => {
  it('takes the segments of the clips the metadata names as test clips, labelled by the model\'s genres', () => {
    const clips = [
      { path: 'rock/a.wav', genre: 'rock', segments: [seg(1), seg(2)] },
      { path: 'blues/b.wav', genre: 'blues', segments: [seg(3)] },
      { path: 'blues/c.wav', genre: 'blues', segments: [seg(4)] },
      { path: 'jazz/d.wav', genre: 'jazz', segments: [seg(5)] },
    ];
    const out = testSplitSegments(clips, { genres: ['blues', 'rock'], split: { testClipNames: ['rock/a.wav', 'blues/c.wav', 'jazz/d.wav', 'gone.wav'] } });
    expect(out.clips).toBe(2);
    expect(out.segments.map((s) => s[0])).toEqual([1, 2, 4]);
    expect(out.labels).toEqual([1, 1, 0]);
  });
});
