import { REFERENCE_MODEL } from '../model/architectures/config';
import type { TrainingData } from '../dataset/training-data';
import { seededRandom } from '../model/data/random';
import type { SessionOptions } from '../model/training/session';

/**
 * What an epoch is timed on, in Node (bench:train) and in the page's training worker
 * (self-check.html?epochs): random [130, 13] segments, 10 genres × 20 clips × 10 segments, split
 * by clip with GTZAN's fault-filtered proportions (290 of 930 clips for test, 197 of the other
 * 640 for validation), so validation weighs in an epoch as it does on GTZAN: 950 training and
 * 430 validation segments. Speed does not depend on the values, so no audio is needed.
 */
export function timingData(): TrainingData {
  const genres = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];
  const clips = genres.flatMap((g) => Array.from({ length: 20 }, (_, i) => `${g}/${g}.${String(i).padStart(5, '0')}.wav`));
  const segments = clips.length * 10;
  const random = seededRandom(7);
  return {
    genres,
    clipPaths: clips,
    frames: 130,
    coefficients: 13,
    x: Float32Array.from({ length: segments * 130 * 13 }, () => random() * 2 - 1),
    labels: Int32Array.from({ length: segments }, (_, s) => Math.floor(s / 200)),
    clipOf: Int32Array.from({ length: segments }, (_, s) => Math.floor(s / 10)),
  };
}

/** The recipe's training, `epochs` epochs, on timingData. */
export function timingOptions(epochs: number): Omit<SessionOptions, 'helpers' | 'build'> {
  return {
    model: REFERENCE_MODEL,
    train: { epochs, batchSize: 32, seed: 1, standardize: false },
    split: { mode: 'clip', seed: 1, testFraction: 290 / 930, validationFraction: 197 / 640 },
  };
}
