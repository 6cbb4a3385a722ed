import type { TrainingData } from '../../dataset/training-data';
import { mixSeed } from '../kernels/hash-random';

const known = new WeakMap<TrainingData, string>();

/**
 * 64 bits (16 hex digits) that change with any value, label, clip or genre of the data a run
 * trained on: a re-run with the same seed and settings reproduces the run only on data with the
 * same fingerprint. Two 32-bit hashes of every float's bits, made once per data block (about
 * 0.1 s for all of GTZAN's MFCCs).
 */
export function dataFingerprint(data: TrainingData): string {
  const seen = known.get(data);
  if (seen) return seen;
  const lanes = [mixSeed(1, data.frames, data.coefficients, data.x.length), mixSeed(2, data.frames, data.coefficients, data.x.length)];
  const words = (values: ArrayLike<number>) => {
    // murmur3's body on each lane, a different multiplier each: a few nanoseconds a word.
    let [a, b] = lanes;
    for (let i = 0; i < values.length; i++) {
      const w = values[i];
      a = Math.imul(a ^ w, 0xcc9e2d51);
      a = Math.imul((a << 15) | (a >>> 17), 0x1b873593);
      b = Math.imul(b ^ w, 0x85ebca6b);
      b = Math.imul((b << 13) | (b >>> 19), 0xc2b2ae35);
    }
    lanes[0] = mixSeed(a, values.length);
    lanes[1] = mixSeed(b, values.length);
  };
  const text = (s: string) => words(Array.from(s, (c) => c.codePointAt(0) ?? 0));
  data.genres.forEach(text);
  data.clipPaths.forEach(text);
  words(data.labels);
  words(data.clipOf);
  words(new Uint32Array(data.x.buffer, data.x.byteOffset, data.x.length));
  const out = lanes.map((h) => h.toString(16).padStart(8, '0')).join('');
  known.set(data, out);
  return out;
}
