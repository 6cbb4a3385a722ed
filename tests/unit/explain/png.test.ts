import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../../src/explain/png';

describe('the PNG encoder', () => {
  it('computes the chunk CRC PNG uses', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes the signature, a header with the size, the rows each after a filter byte, and the end', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => i);
    const png = Buffer.from(encodePng(3, 2, rgba, (raw) => deflateSync(raw)));
    expect(png.toString('latin1', 1, 4)).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([3, 2]);
    const idat = png.indexOf('IDAT', 0, 'latin1');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect([...raw]).toEqual([0, ...rgba.subarray(0, 12), 0, ...rgba.subarray(12)]);
    expect(png.toString('latin1', png.length - 8, png.length - 4)).toBe('IEND');
  });

  it('refuses pixels that do not fill the size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(12), (r) => r)).toThrow(/16 bytes, not 12/);
  });
});
