/**
 * Counter-based random numbers: a value is a hash of where it is used (a run's seed, a stream, a
 * step, a row, a unit), not the next draw of a generator. So a dropout mask is the same whichever
 * thread draws which rows of a batch, and a weight's start is the same in the page, the CLI and
 * python/train.py (which computes the same hash).
 */

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of whole numbers (each taken modulo 2³²), in order: a seed for a stream of its own. */
export function mixSeed(...keys: number[]): number {
  let h = 0x6a09e667;
  for (const k of keys) h = fmix32(Math.imul(h ^ (k >>> 0), 0x9e3779b1));
  return h;
}

/** Where a dropout mask is drawn: the run's dropout stream, the step, and the first row of this share in its batch. */
export interface DropoutDraw {
  seed: number;
  step: number;
  row: number;
}

/** Whether unit `unit` of batch row `row` is kept at `keep` (1 − rate), drawn from `draw`'s place. */
export function dropoutKeeps(draw: DropoutDraw, row: number, unit: number, keep: number): boolean {
  return mixSeed(draw.seed, draw.step, draw.row + row, unit) / 4294967296 < keep;
}

/** The inverted-dropout mask (kept values scaled by 1 / keep, as tf.dropout) of `rows` × `width` units. */
export function dropoutMask(draw: DropoutDraw, rows: number, width: number, rate: number): Float32Array {
  const keep = 1 - rate;
  const mask = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < width; u++) mask[r * width + u] = dropoutKeeps(draw, r, u, keep) ? 1 / keep : 0;
  }
  return mask;
}

/** The streams a run draws from its seed by hashing (the split, batch order and augmentation have generators of their own). */
export const STREAMS = { weights: 1, dropout: 2 } as const;
