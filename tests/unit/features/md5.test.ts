import { md5 } from 'hash-wasm';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rng } from '../../fixtures/audio';

// The extraction worker hashes each clip with hash-wasm's MD5 (GTZAN's dataset check): it
// measured as fast as the unrolled JavaScript it replaced (README, benchmarks) and streams.
describe('MD5 of a clip\'s bytes', () => {
  it('equals node:crypto\'s for every length around the block and padding edges, aligned or not', async () => {
    const r = rng(3);
    const big = Uint8Array.from({ length: 5000 }, () => Math.floor(r() * 256));
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4999]) {
      for (const offset of [0, 1]) {
        const bytes = big.subarray(offset, offset + n);
        expect(await md5(bytes), `${n} bytes at offset ${offset}`).toBe(createHash('md5').update(bytes).digest('hex'));
      }
    }
    expect(await md5(new TextEncoder().encode('abc'))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});
