import { describe, expect, it } from 'vitest';
import { relativePathOf } from '../../../../src/ui/dataset/drop-files';

describe('the path of a picked file', () => {
  it('keeps a backslash of the file name, which Chromium writes as "/" in webkitRelativePath', () => {
    // What Chromium 156 gives for ds/rock/live\encore.wav on Linux.
    expect(relativePathOf({ name: 'live\\encore.wav', webkitRelativePath: 'ds/rock/live/encore.wav' })).toBe('ds/rock/live\\encore.wav');
    expect(relativePathOf({ name: 'a.wav', webkitRelativePath: 'ds/rock/a.wav' })).toBe('ds/rock/a.wav');
    expect(relativePathOf({ name: 'loose.wav', webkitRelativePath: '' })).toBe('loose.wav');
  });
});
