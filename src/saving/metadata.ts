import { coefficientsPerFrame, framesPerSegment, validateSettings, type FeatureSettings } from '../dsp/settings';
import { genreNamesProblem, LIMITS } from '../dataset/limits';
import type { ModelSettings, TrainConfig } from '../model/architectures/config';
import type { SplitOptions, SplitSizes } from '../model/data/split-options';
import type { Standardization } from '../model/data/standardize';
import schema from '../../schemas/metadata.json';

/** The version every writer writes and every reader migrates to (schemas/metadata.json). */
export const METADATA_VERSION: 2 = schema.properties.version.const as 2;

/** Every reader's words for a standardisation it cannot use (python/gtzan_lab/limits.py says the same). */
export const STANDARDIZATION_RANGE = `metadata.json "standardization": every mean must be a finite number and every deviation a number of at least ${LIMITS.minDeviation.toExponential()}`;

/** metadata.json: everything needed to use a model on new audio and to judge its numbers. */
export interface ModelMetadata {
  format: 'gtzan-lab-model';
  version: typeof METADATA_VERSION;
  /** Genre names in output order: output k is genres[k]. */
  genres: string[];
  features: FeatureSettings;
  /** [frames, coefficients] the model takes per segment. */
  inputShape: [number, number];
  standardization: Standardization | null;
  model: ModelSettings;
  /**
   * bestEpoch: with early stopping, the epoch whose weights these are (the lowest validation
   * loss). What a re-run needs besides the settings and seed: the engine (`path`) and its
   * threads, and the fingerprint of the data it trained on (model/data/fingerprint.ts).
   */
  training: TrainConfig & {
    epochsCompleted: number; backend: string; fastLstm?: boolean; bestEpoch?: number;
    path?: 'fast-lstm' | 'fast-cnn' | 'tfjs'; threads?: number; dataFingerprint?: string;
  };
  split: SplitOptions & SplitSizes & {
    trainSegments: number;
    validationSegments: number;
    testSegments: number;
    /** The held-out clips, by path, so anyone can rebuild the test set; and the other sides. */
    testClipNames: string[];
    trainClipNames?: string[];
    validationClipNames?: string[];
    /** E.g. "fault-filtered split: 443 train / 197 validation / 290 test clips, 70 left out". */
    sizes: string;
    /** What made this split's numbers weak when it was made (splitWarnings): few test clips, a genre missing from a side. */
    warnings?: string[];
  };
  metrics: {
    split: string;
    testSegmentAccuracy: number;
    testClipAccuracy: number;
    testLoss: number;
    /** Test clips the accuracies rest on, and their 95 % intervals [low, high] (older models have no intervals). */
    testClips?: number;
    testClipInterval?: [number, number];
    testSegmentInterval?: [number, number];
    /** The mean per-genre clip accuracy (over genres with a test clip) and its 95 % interval (a stratified clip bootstrap). */
    testBalancedClipAccuracy?: number;
    testBalancedClipInterval?: [number, number];
  } | null;
  createdAt: string;
}

export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A metadata.json of any version brought to METADATA_VERSION by schemas/metadata.json's
 * x-migrations, in order (python/gtzan_lab/model_reading.py's migrate_metadata applies the same
 * steps): a field an older version left out is set to what its absence meant. The value given is
 * not changed; no version is version 1; a version newer than this lab's is refused.
 */
export function migrateMetadata(value: unknown): unknown {
  if (!isObject(value)) return value;
  const version = value.version ?? 1;
  if (!Number.isInteger(version) || (version as number) < 1) {
    throw new MetadataError(`metadata.json "version" must be a whole number from 1 to ${METADATA_VERSION}`);
  }
  if ((version as number) > METADATA_VERSION) {
    throw new MetadataError(`metadata.json is version ${version}, written by a newer GTZAN Lab; this one reads versions up to ${METADATA_VERSION}`);
  }
  const m = structuredClone(value);
  for (const migration of schema['x-migrations']) {
    if (migration.from < (version as number)) continue;
    for (const step of migration.steps as { path: string[]; default?: unknown; copyFrom?: string[] }[]) {
      const holder = step.path.slice(0, -1).reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), m);
      const key = step.path[step.path.length - 1];
      if (!isObject(holder) || key in holder) continue;
      const source = step.copyFrom ? step.copyFrom.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), m) : structuredClone(step.default);
      if (source !== undefined && source !== null) holder[key] = source;
    }
    m.version = migration.to;
  }
  return m;
}

/** Checks a parsed metadata.json, after migrating it to this version, and names what is missing or wrong. */
export function parseMetadata(value: unknown): ModelMetadata {
  const m = migrateMetadata(value) as Partial<ModelMetadata> | null;
  if (!m || typeof m !== 'object') throw new MetadataError('metadata.json must hold a JSON object');
  if (m.format !== schema.properties.format.const) throw new MetadataError('metadata.json was not written by GTZAN Lab (format is not "gtzan-lab-model")');
  if (!Array.isArray(m.genres) || m.genres.length < 2 || m.genres.some((g) => typeof g !== 'string')) {
    throw new MetadataError('metadata.json needs "genres": the list of at least two genre names');
  }
  const names = genreNamesProblem(m.genres, 'metadata.json');
  if (names) throw new MetadataError(names);
  if (!m.features || typeof m.features !== 'object') throw new MetadataError('metadata.json needs "features": the feature settings');
  const problem = validateSettings(m.features as FeatureSettings);
  if (problem) throw new MetadataError(`metadata.json features: ${problem}`);
  if (!Array.isArray(m.inputShape) || m.inputShape.length !== 2) throw new MetadataError('metadata.json needs "inputShape": [frames, coefficients]');
  // The model takes what its own feature settings make, or every clip it is given is refused.
  const frames = framesPerSegment(m.features);
  const perFrame = coefficientsPerFrame(m.features);
  if (m.inputShape[0] !== frames || m.inputShape[1] !== perFrame) {
    throw new MetadataError(`metadata.json does not add up: its feature settings give segments of [${frames}, ${perFrame}] but it says the model takes [${m.inputShape.join(', ')}]`);
  }
  const s = m.standardization;
  if (s && (!Array.isArray(s.mean) || !Array.isArray(s.std) || s.mean.length !== m.inputShape[1] || s.std.length !== m.inputShape[1])) {
    throw new MetadataError('metadata.json "standardization" must give one mean and one deviation per coefficient');
  }
  // Dividing by a deviation of 0, or one so small that float32 makes it 0 or Infinity (or by a
  // string), would feed ±Infinity or NaN to the model, and its "probabilities" would be made up.
  if (s && (s.mean.some((v) => typeof v !== 'number' || !Number.isFinite(v)) || s.std.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < LIMITS.minDeviation))) {
    throw new MetadataError(STANDARDIZATION_RANGE);
  }
  return m as ModelMetadata;
}

/**
 * Which side of the model's split held a clip of this file name (its last path part), if any:
 * a clip the model trained on, or was validated on, says nothing of how it does on new music.
 * Matched by name, so a file renamed is not found and a foreign file of the same name is.
 */
export function sideOfClipName(m: Pick<ModelMetadata, 'split'>, fileName: string): 'training' | 'validation' | 'test' | undefined {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const has = (paths: readonly string[] | undefined) => !!paths?.some((p) => p === name || p.endsWith(`/${name}`));
  if (has(m.split.trainClipNames)) return 'training';
  if (has(m.split.validationClipNames)) return 'validation';
  if (has(m.split.testClipNames)) return 'test';
  return undefined;
}
