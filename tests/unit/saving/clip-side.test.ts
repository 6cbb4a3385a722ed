import { describe, expect, it } from 'vitest';
import { sideOfClipName, type ModelMetadata } from '../../../src/saving/metadata';

const split = {
  trainClipNames: ['genres_original/rock/rock.00012.wav'], validationClipNames: ['genres_original/jazz/jazz.00003.au'],
  testClipNames: ['genres_original/pop/pop.00001.wav'],
} as unknown as ModelMetadata['split'];

describe('which side of a model\'s split held a clip', () => {
  it('finds a clip by its file name on the training, validation or test side', () => {
    expect(sideOfClipName({ split }, 'rock.00012.wav')).toBe('training');
    expect(sideOfClipName({ split }, 'C:\\music\\jazz.00003.au')).toBe('validation');
    expect(sideOfClipName({ split }, 'pop.00001.wav')).toBe('test');
  });

  it('finds nothing for a new clip, a name that only ends alike, or a model made before the sides were kept', () => {
    expect(sideOfClipName({ split }, 'my song.wav')).toBeUndefined();
    expect(sideOfClipName({ split }, 'k.00012.wav')).toBeUndefined();
    expect(sideOfClipName({ split: { testClipNames: [] } as unknown as ModelMetadata['split'] }, 'rock.00012.wav')).toBeUndefined();
  });
});
