import type { TrainingData } from '../../dataset/training-data';
import { seededRandom } from './random';

/**
 * Augmentation of training batches (never validation or test): SpecAugment-style masks and a
 * random time shift. Every width is an upper bound drawn from per segment; 0 turns it off.
 */
export interface AugmentConfig {
  /** Widest time mask, in frames (two masks a segment, each 0…this wide). */
  timeMask: number;
  /** Widest frequency mask, in coefficients or mel bands (two masks a segment). */
  freqMask: number;
  /** Largest shift of the segment's window along its clip, in frames either way. */
  shift: number;
}

export const NO_AUGMENT: AugmentConfig = { timeMask: 0, freqMask: 0, shift: 0 };

/** SpecAugment's LibriSpeech policy uses two masks of each kind. */
const MASKS = 2;

export function augmentOn(a: AugmentConfig | undefined): a is AugmentConfig {
  return !!a && (a.timeMask > 0 || a.freqMask > 0 || a.shift > 0);
}

/** Names the first width that is not a whole number from 0 to 1000 (wider than the segment is clamped to it). */
export function validateAugment(a: AugmentConfig): string | undefined {
  const check = (v: unknown, name: string) =>
    typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1000 ? `${name} must be a whole number from 0 to 1000` : undefined;
  return check(a.timeMask, 'Time mask') ?? check(a.freqMask, 'Frequency mask') ?? check(a.shift, 'Time shift');
}

/**
 * Makes the augmented copy of each training batch. Seeded apart from the batch order, so turning
 * augmentation on leaves the order of batches as it was.
 *
 * The time shift re-cuts the segment from its neighbours: segments tile a clip's first 30 s back to
 * back, so a window moved s frames later is the segment's last F − s frames followed by the next
 * segment's first s (earlier: the previous segment's last s frames, then its first F − s). This
 * needs neither the clip's audio nor a second feature matrix per clip. Two approximations, both
 * under one frame: segment boundaries fall between hops (66 150 samples is not a multiple of 512),
 * and each segment's edge frames were framed with padding. A neighbour is used only when it is a
 * training segment of the same clip, so no held-out audio enters training (on the leaky by-segment
 * split a neighbour can be a test segment: the shift then stays on the side that is training data).
 */
export class Augmenter {
  private readonly random: () => number;
  private readonly trainSet: Uint8Array;
  private readonly config: AugmentConfig;

  constructor(
    private readonly data: TrainingData,
    config: AugmentConfig,
    train: readonly number[],
    seed: number,
  ) {
    const { frames, coefficients } = data;
    this.config = {
      timeMask: Math.min(config.timeMask, frames),
      freqMask: Math.min(config.freqMask, coefficients),
      shift: Math.min(config.shift, frames - 1),
    };
    this.random = seededRandom(seed);
    this.trainSet = new Uint8Array(data.labels.length);
    for (const i of train) this.trainSet[i] = 1;
  }

  /** The batch's segments from `x`, shifted and masked, into `out` (fresh if not given); `x` itself is never written. */
  batch(
    x: Float32Array,
    indices: readonly number[],
    out: Float32Array = new Float32Array(indices.length * this.data.frames * this.data.coefficients),
  ): Float32Array {
    const { frames, coefficients } = this.data;
    const size = frames * coefficients;
    indices.forEach((i, k) => {
      const seg = out.subarray(k * size, (k + 1) * size);
      this.cut(x, i, seg);
      this.mask(seg);
    });
    return out;
  }

  private cut(x: Float32Array, i: number, seg: Float32Array): void {
    const { frames, coefficients, clipOf } = this.data;
    const size = frames * coefficients;
    const own = x.subarray(i * size, (i + 1) * size);
    const max = this.config.shift;
    let s = max > 0 ? Math.floor(this.random() * (2 * max + 1)) - max : 0;
    const usable = (j: number) => j >= 0 && j < clipOf.length && clipOf[j] === clipOf[i] && this.trainSet[j] === 1;
    if (s > 0 && !usable(i + 1)) s = usable(i - 1) ? -s : 0;
    else if (s < 0 && !usable(i - 1)) s = usable(i + 1) ? -s : 0;
    if (s === 0) {
      seg.set(own);
    } else if (s > 0) {
      seg.set(own.subarray(s * coefficients));
      seg.set(x.subarray((i + 1) * size, (i + 1) * size + s * coefficients), (frames - s) * coefficients);
    } else {
      const back = -s;
      seg.set(x.subarray(i * size - back * coefficients, i * size));
      seg.set(own.subarray(0, (frames - back) * coefficients), back * coefficients);
    }
  }

  /** Two time and two frequency masks, filled with the segment's mean (silence-neutral in dB and after standardising). */
  private mask(seg: Float32Array): void {
    const { frames, coefficients } = this.data;
    const { timeMask, freqMask } = this.config;
    if (timeMask === 0 && freqMask === 0) return;
    let mean = 0;
    for (let i = 0; i < seg.length; i++) mean += seg[i];
    mean /= seg.length;
    for (let m = 0; m < MASKS && timeMask > 0; m++) {
      const width = Math.floor(this.random() * (timeMask + 1));
      const start = Math.floor(this.random() * (frames - width + 1));
      seg.fill(mean, start * coefficients, (start + width) * coefficients);
    }
    for (let m = 0; m < MASKS && freqMask > 0; m++) {
      const width = Math.floor(this.random() * (freqMask + 1));
      const start = Math.floor(this.random() * (coefficients - width + 1));
      for (let t = 0; t < frames; t++) seg.fill(mean, t * coefficients + start, t * coefficients + start + width);
    }
  }
}
