/**
 * MD5 (RFC 1321) of a byte array, hex. Only to tell whether a clip is the reference copy of GTZAN
 * (mirdata publishes MD5s), never for security. Written for speed, since the extraction workers
 * hash each clip's bytes while they hold them: words are read straight from the bytes where they
 * are aligned, and the 64 steps are unrolled (generated; the round functions and constants are
 * RFC 1321's, the test compares with node:crypto).
 */

/** One 64-byte block of `w` from word `o`. */
function block(state: Int32Array, w: Int32Array, o: number): void {
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let x: number;
    x = (a + ((b & c) | (~b & d)) + -680876936 + w[o + 0]) | 0; a = (b + ((x << 7) | (x >>> 25))) | 0;
    x = (d + ((a & b) | (~a & c)) + -389564586 + w[o + 1]) | 0; d = (a + ((x << 12) | (x >>> 20))) | 0;
    x = (c + ((d & a) | (~d & b)) + 606105819 + w[o + 2]) | 0; c = (d + ((x << 17) | (x >>> 15))) | 0;
    x = (b + ((c & d) | (~c & a)) + -1044525330 + w[o + 3]) | 0; b = (c + ((x << 22) | (x >>> 10))) | 0;
    x = (a + ((b & c) | (~b & d)) + -176418897 + w[o + 4]) | 0; a = (b + ((x << 7) | (x >>> 25))) | 0;
    x = (d + ((a & b) | (~a & c)) + 1200080426 + w[o + 5]) | 0; d = (a + ((x << 12) | (x >>> 20))) | 0;
    x = (c + ((d & a) | (~d & b)) + -1473231341 + w[o + 6]) | 0; c = (d + ((x << 17) | (x >>> 15))) | 0;
    x = (b + ((c & d) | (~c & a)) + -45705983 + w[o + 7]) | 0; b = (c + ((x << 22) | (x >>> 10))) | 0;
    x = (a + ((b & c) | (~b & d)) + 1770035416 + w[o + 8]) | 0; a = (b + ((x << 7) | (x >>> 25))) | 0;
    x = (d + ((a & b) | (~a & c)) + -1958414417 + w[o + 9]) | 0; d = (a + ((x << 12) | (x >>> 20))) | 0;
    x = (c + ((d & a) | (~d & b)) + -42063 + w[o + 10]) | 0; c = (d + ((x << 17) | (x >>> 15))) | 0;
    x = (b + ((c & d) | (~c & a)) + -1990404162 + w[o + 11]) | 0; b = (c + ((x << 22) | (x >>> 10))) | 0;
    x = (a + ((b & c) | (~b & d)) + 1804603682 + w[o + 12]) | 0; a = (b + ((x << 7) | (x >>> 25))) | 0;
    x = (d + ((a & b) | (~a & c)) + -40341101 + w[o + 13]) | 0; d = (a + ((x << 12) | (x >>> 20))) | 0;
    x = (c + ((d & a) | (~d & b)) + -1502002290 + w[o + 14]) | 0; c = (d + ((x << 17) | (x >>> 15))) | 0;
    x = (b + ((c & d) | (~c & a)) + 1236535329 + w[o + 15]) | 0; b = (c + ((x << 22) | (x >>> 10))) | 0;
    x = (a + ((d & b) | (~d & c)) + -165796510 + w[o + 1]) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
    x = (d + ((c & a) | (~c & b)) + -1069501632 + w[o + 6]) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
    x = (c + ((b & d) | (~b & a)) + 643717713 + w[o + 11]) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
    x = (b + ((a & c) | (~a & d)) + -373897302 + w[o + 0]) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
    x = (a + ((d & b) | (~d & c)) + -701558691 + w[o + 5]) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
    x = (d + ((c & a) | (~c & b)) + 38016083 + w[o + 10]) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
    x = (c + ((b & d) | (~b & a)) + -660478335 + w[o + 15]) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
    x = (b + ((a & c) | (~a & d)) + -405537848 + w[o + 4]) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
    x = (a + ((d & b) | (~d & c)) + 568446438 + w[o + 9]) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
    x = (d + ((c & a) | (~c & b)) + -1019803690 + w[o + 14]) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
    x = (c + ((b & d) | (~b & a)) + -187363961 + w[o + 3]) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
    x = (b + ((a & c) | (~a & d)) + 1163531501 + w[o + 8]) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
    x = (a + ((d & b) | (~d & c)) + -1444681467 + w[o + 13]) | 0; a = (b + ((x << 5) | (x >>> 27))) | 0;
    x = (d + ((c & a) | (~c & b)) + -51403784 + w[o + 2]) | 0; d = (a + ((x << 9) | (x >>> 23))) | 0;
    x = (c + ((b & d) | (~b & a)) + 1735328473 + w[o + 7]) | 0; c = (d + ((x << 14) | (x >>> 18))) | 0;
    x = (b + ((a & c) | (~a & d)) + -1926607734 + w[o + 12]) | 0; b = (c + ((x << 20) | (x >>> 12))) | 0;
    x = (a + (b ^ c ^ d) + -378558 + w[o + 5]) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
    x = (d + (a ^ b ^ c) + -2022574463 + w[o + 8]) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
    x = (c + (d ^ a ^ b) + 1839030562 + w[o + 11]) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
    x = (b + (c ^ d ^ a) + -35309556 + w[o + 14]) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
    x = (a + (b ^ c ^ d) + -1530992060 + w[o + 1]) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
    x = (d + (a ^ b ^ c) + 1272893353 + w[o + 4]) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
    x = (c + (d ^ a ^ b) + -155497632 + w[o + 7]) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
    x = (b + (c ^ d ^ a) + -1094730640 + w[o + 10]) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
    x = (a + (b ^ c ^ d) + 681279174 + w[o + 13]) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
    x = (d + (a ^ b ^ c) + -358537222 + w[o + 0]) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
    x = (c + (d ^ a ^ b) + -722521979 + w[o + 3]) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
    x = (b + (c ^ d ^ a) + 76029189 + w[o + 6]) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
    x = (a + (b ^ c ^ d) + -640364487 + w[o + 9]) | 0; a = (b + ((x << 4) | (x >>> 28))) | 0;
    x = (d + (a ^ b ^ c) + -421815835 + w[o + 12]) | 0; d = (a + ((x << 11) | (x >>> 21))) | 0;
    x = (c + (d ^ a ^ b) + 530742520 + w[o + 15]) | 0; c = (d + ((x << 16) | (x >>> 16))) | 0;
    x = (b + (c ^ d ^ a) + -995338651 + w[o + 2]) | 0; b = (c + ((x << 23) | (x >>> 9))) | 0;
    x = (a + (c ^ (b | ~d)) + -198630844 + w[o + 0]) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
    x = (d + (b ^ (a | ~c)) + 1126891415 + w[o + 7]) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
    x = (c + (a ^ (d | ~b)) + -1416354905 + w[o + 14]) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
    x = (b + (d ^ (c | ~a)) + -57434055 + w[o + 5]) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
    x = (a + (c ^ (b | ~d)) + 1700485571 + w[o + 12]) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
    x = (d + (b ^ (a | ~c)) + -1894986606 + w[o + 3]) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
    x = (c + (a ^ (d | ~b)) + -1051523 + w[o + 10]) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
    x = (b + (d ^ (c | ~a)) + -2054922799 + w[o + 1]) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
    x = (a + (c ^ (b | ~d)) + 1873313359 + w[o + 8]) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
    x = (d + (b ^ (a | ~c)) + -30611744 + w[o + 15]) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
    x = (c + (a ^ (d | ~b)) + -1560198380 + w[o + 6]) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
    x = (b + (d ^ (c | ~a)) + 1309151649 + w[o + 13]) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
    x = (a + (c ^ (b | ~d)) + -145523070 + w[o + 4]) | 0; a = (b + ((x << 6) | (x >>> 26))) | 0;
    x = (d + (b ^ (a | ~c)) + -1120210379 + w[o + 11]) | 0; d = (a + ((x << 10) | (x >>> 22))) | 0;
    x = (c + (a ^ (d | ~b)) + 718787259 + w[o + 2]) | 0; c = (d + ((x << 15) | (x >>> 17))) | 0;
    x = (b + (d ^ (c | ~a)) + -343485551 + w[o + 9]) | 0; b = (c + ((x << 21) | (x >>> 11))) | 0;
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function md5Hex(bytes: Uint8Array): string {
  const state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  const full = bytes.length >> 6;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, full * 16);
    for (let blk = 0; blk < full; blk++) block(state, words, blk * 16);
  } else {
    const w = new Int32Array(16);
    for (let blk = 0; blk < full; blk++) {
      for (let j = 0, p = blk * 64; j < 16; j++, p += 4) w[j] = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
      block(state, w, 0);
    }
  }
  // The tail, the 0x80 byte, zeros, and the length in bits (little-endian, 64-bit).
  const rest = bytes.length - full * 64;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(bytes.subarray(full * 64));
  tail[rest] = 0x80;
  const bits = bytes.length * 8;
  const view = new DataView(tail.buffer);
  view.setUint32(tail.length - 8, bits >>> 0, true);
  view.setUint32(tail.length - 4, Math.floor(bits / 2 ** 32), true);
  const w = new Int32Array(16);
  for (let off = 0; off < tail.length; off += 64) {
    for (let j = 0; j < 16; j++) w[j] = view.getInt32(off + 4 * j, true);
    block(state, w, 0);
  }
  let hex = '';
  for (let i = 0; i < 4; i++) for (let k = 0; k < 4; k++) hex += ((state[i] >>> (8 * k)) & 255).toString(16).padStart(2, '0');
  return hex;
}
