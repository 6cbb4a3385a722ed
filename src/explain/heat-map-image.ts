/**
 * An occlusion map as pixels: the clip's segments side by side in time (one column per frame),
 * bands or coefficients up (the lowest at the bottom), each patch coloured by its weight for one
 * genre (red: the patch moved the model toward it, blue: against it, white: neither), and the
 * strongest regions outlined.
 */
import { genreMap, type OcclusionMap } from './occlusion';

export interface Rgba {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Outline colour of the marked regions (dark, on a white-to-red map). */
export const OUTLINE: readonly [number, number, number] = [20, 20, 20];

/** Rows per band: small inputs (13 MFCCs) drawn taller so the picture is readable. */
export function rowHeight(coefficients: number): number {
  return Math.max(1, Math.round(128 / coefficients));
}

/** `regions`: segment, time patch and band patch of each region to outline. */
export function heatMapImage(m: OcclusionMap, genre: number, regions: readonly { segment: number; timePatch: number; bandPatch: number }[]): Rgba {
  const rh = rowHeight(m.coefficients);
  const width = m.base.length * m.frames;
  const height = m.coefficients * rh;
  const pixels = new Uint8Array(width * height * 4);
  const maps = m.base.map((_, s) => genreMap(m, s, genre));
  const scale = Math.max(1e-9, ...maps.flatMap((w) => Array.from(w, Math.abs)));
  const set = (x: number, y: number, rgb: readonly number[]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    pixels.set([rgb[0], rgb[1], rgb[2], 255], (y * width + x) * 4);
  };
  // y counts down from the top row, which holds the highest band.
  const top = (band: number) => height - (band + 1) * rh;
  maps.forEach((w, s) => {
    for (let f = 0; f < m.frames; f++) {
      const tp = Math.min(m.timePatches - 1, Math.floor(f / m.patchFrames));
      for (let b = 0; b < m.coefficients; b++) {
        const v = w[tp * m.bandPatches + Math.min(m.bandPatches - 1, Math.floor(b / m.patchBands))] / scale;
        const fade = Math.round(255 * (1 - Math.min(1, Math.abs(v))));
        const rgb = v >= 0 ? [255, fade, fade] : [fade, fade, 255];
        for (let r = 0; r < rh; r++) set(s * m.frames + f, top(b) + r, rgb);
      }
    }
  });
  for (const g of regions) {
    const x0 = g.segment * m.frames + g.timePatch * m.patchFrames;
    const x1 = g.segment * m.frames + Math.min(m.frames, (g.timePatch + 1) * m.patchFrames) - 1;
    const b0 = g.bandPatch * m.patchBands;
    const b1 = Math.min(m.coefficients, b0 + m.patchBands) - 1;
    const y0 = top(b1);
    const y1 = top(b0) + rh - 1;
    for (let x = x0; x <= x1; x++) { set(x, y0, OUTLINE); set(x, y1, OUTLINE); }
    for (let y = y0; y <= y1; y++) { set(x0, y, OUTLINE); set(x1, y, OUTLINE); }
  }
  return { width, height, pixels };
}
