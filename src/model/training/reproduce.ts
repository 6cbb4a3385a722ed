import { weightsDigest } from '../data/fingerprint';
import type { ModelMetadata } from '../../saving/metadata';

/** What a run is re-run by, and checked against: its seed, data, engine and the weights it made. */
export interface RunIdentity {
  seed: number;
  dataFingerprint?: string;
  /** The engine (fast-lstm, fast-cnn, tfjs) and the tfjs backend under it. */
  path?: string;
  backend: string;
  weightsDigest: string;
}

export function runIdentity(metadata: ModelMetadata, weights: ArrayBuffer): RunIdentity {
  const t = metadata.training;
  return { seed: t.seed, dataFingerprint: t.dataFingerprint, path: t.path, backend: t.backend, weightsDigest: weightsDigest(weights) };
}

/**
 * Whether a re-run made the weights of the run it repeats, bit for bit, and if not the likeliest
 * reason: other data, another engine or backend (each repeatable on its own, not across), or
 * none the lab knows of (then something random escaped the seed: a defect).
 */
export function compareReRun(before: RunIdentity, after: RunIdentity): { matched: boolean; why: string } {
  if (before.weightsDigest === after.weightsDigest) return { matched: true, why: 'the same weights, bit for bit' };
  if (before.dataFingerprint && after.dataFingerprint && before.dataFingerprint !== after.dataFingerprint) {
    return { matched: false, why: 'other weights: the features differ from the run\'s (another dataset, or extracted with other settings)' };
  }
  if (before.seed !== after.seed) return { matched: false, why: `other weights: seed ${after.seed}, the run had ${before.seed}` };
  if ((before.path ?? '') !== (after.path ?? '') || before.backend !== after.backend) {
    return {
      matched: false,
      why: `other weights: trained by ${after.path ?? 'tfjs'} on ${after.backend}, the run by ${before.path ?? 'tfjs'} on ${before.backend} (each repeats only on its own engine)`,
    };
  }
  return { matched: false, why: 'other weights although the data, settings, seed and engine are the same: please report this' };
}
