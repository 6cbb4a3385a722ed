import { describe, expect, it } from 'vitest';
import { heatMapImage, OUTLINE, rowHeight } from '../../../src/explain/heat-map-image';
import type { OcclusionMap } from '../../../src/explain/occlusion';

/** Two segments of 4 frames × 4 bands, patches of 2 × 2; genre 0's only weight: segment 1, time patch 1, band patch 1 (the top right). */
function map(): OcclusionMap {
  const drops = new Float32Array(2 * 4 * 2);
  drops[(1 * 4 + 1 * 2 + 1) * 2] = 0.5;
  drops[(0 * 4 + 0) * 2] = -0.25;
  return { frames: 4, coefficients: 4, patchFrames: 2, patchBands: 2, timePatches: 2, bandPatches: 2, genres: ['a', 'b'], baseline: 'training-mean', base: [[1, 0], [1, 0]], drops };
}
const at = (img: { width: number; pixels: Uint8Array }, x: number, y: number) => [...img.pixels.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];

describe('an occlusion map as pixels', () => {
  it('lays segments side by side, the highest band on top, red toward the genre and blue against it', () => {
    const img = heatMapImage(map(), 0, []);
    const rh = rowHeight(4);
    expect([img.width, img.height]).toEqual([8, 4 * rh]);
    expect(at(img, 7, 0)).toEqual([255, 0, 0]);
    expect(at(img, 0, img.height - 1)).toEqual([128, 128, 255]);
    expect(at(img, 3, 0)).toEqual([255, 255, 255]);
  });

  it('outlines the regions it is given', () => {
    const img = heatMapImage(map(), 0, [{ segment: 1, timePatch: 1, bandPatch: 1 }]);
    expect(at(img, 6, 0)).toEqual([...OUTLINE]);
    expect(at(img, 7, 2 * rowHeight(4) - 1)).toEqual([...OUTLINE]);
    expect(at(img, 5, 0)).toEqual([255, 255, 255]);
  });
});
