import { DEFAULT_SETTINGS, framesPerSegment, SETTING_RANGES, validateSettings, withCoefficients, type FeatureSettings } from '../dsp/settings';
import { featureSetProblem, genresWithSegments, type ClipFeatures, type FeatureSet } from './feature-set';

/**
 * The reference recipe's data.json: {"mapping": [genres], "labels": [int per segment],
 * "mfcc": [[[nMfcc numbers] × frames] per segment]}, plus "files" (the source of each segment)
 * and "settings" (ours; the recipe ignores unknown keys).
 */
export interface DataJson {
  mapping: string[];
  labels: number[];
  mfcc: number[][][];
  files?: string[];
  settings?: Partial<FeatureSettings>;
}

/** float32 needs 9 significant digits to round-trip; fewer characters than the double's repr. */
function num(v: number): string {
  return String(Number(v.toPrecision(9)));
}

/**
 * Serialises a feature set in pieces: GTZAN's data.json is ~200 MB of text, more than is wise to
 * build as one string. Each yielded string is one segment or one header part.
 */
export function* dataJsonChunks(set: FeatureSet): Generator<string> {
  const segs: { clip: ClipFeatures; seg: Float32Array }[] = [];
  for (const clip of set.clips) for (const seg of clip.segments) segs.push({ clip, seg });
  const label = new Map(set.genres.map((g, i) => [g, i]));
  yield `{"mapping":${JSON.stringify(set.genres)},"settings":${JSON.stringify(set.settings)},`;
  yield `"labels":[${segs.map((s) => label.get(s.clip.genre)).join(',')}],`;
  yield `"files":${JSON.stringify(segs.map((s) => s.clip.path))},"mfcc":[`;
  const c = set.coefficients;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i].seg;
    const rows: string[] = [];
    for (let f = 0; f < seg.length / c; f++) {
      const row: string[] = [];
      for (let k = 0; k < c; k++) row.push(num(seg[f * c + k]));
      rows.push(`[${row.join(',')}]`);
    }
    yield `${i ? ',' : ''}[${rows.join(',')}]`;
  }
  yield ']}';
}

export class DataJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataJsonError';
  }
}

/** float32's largest finite value: a bigger double becomes Infinity when stored as float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** One segment of "mfcc" checked against the first one's shape and turned into float32. */
export function segmentValues(i: number, m: unknown, shape: { frames: number; coefficients: number }): Float32Array {
  const { frames, coefficients } = shape;
  if (!Array.isArray(m) || m.length !== frames) {
    throw new DataJsonError(`segment ${i}: expected ${frames} frames like segment 0, found ${Array.isArray(m) ? m.length : 'no list'}`);
  }
  const seg = new Float32Array(frames * coefficients);
  for (let f = 0; f < frames; f++) {
    const row = m[f];
    if (!Array.isArray(row) || row.length !== coefficients) {
      throw new DataJsonError(`segment ${i}, frame ${f}: expected ${coefficients} coefficients`);
    }
    for (let k = 0; k < coefficients; k++) {
      const v = row[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataJsonError(`segment ${i}, frame ${f}: ${String(v)} is not a number`);
      if (Math.abs(v) > FLOAT32_MAX)
        throw new DataJsonError(`segment ${i}, frame ${f}: ${v} is beyond float32's range (±3.4e38), the precision features are kept in`);
      seg[f * coefficients + k] = v;
    }
  }
  return seg;
}

/** The shape of segment 0, which every other segment must have. */
export function firstShape(m: unknown): { frames: number; coefficients: number } {
  if (!Array.isArray(m) || !Array.isArray(m[0]) || m.length === 0) throw new DataJsonError('"mfcc" must be a list of frames × coefficients matrices');
  return { frames: m.length, coefficients: (m[0] as unknown[]).length };
}

/** Everything of a data.json but the numbers, which arrive already checked as float32 segments. */
export interface DataJsonParts {
  mapping: unknown;
  labels: unknown;
  files: unknown;
  settings: unknown;
  segments: Float32Array[];
  shape: { frames: number; coefficients: number } | undefined;
}

/** Checks labels, files, settings and genres, and groups the segments by clip. */
export function assembleDataJson(d: DataJsonParts): FeatureSet {
  const mapping = d.mapping;
  if (!Array.isArray(mapping) || mapping.some((g) => typeof g !== 'string')) {
    throw new DataJsonError('"mapping" must be a list of genre names');
  }
  const labels = d.labels;
  if (!Array.isArray(labels)) throw new DataJsonError('"labels" and "mfcc" must be lists');
  if (labels.length !== d.segments.length) {
    throw new DataJsonError(`"labels" has ${labels.length} entries but "mfcc" has ${d.segments.length}`);
  }
  const files = d.files;
  if (files !== undefined && (!Array.isArray(files) || files.length !== labels.length)) {
    throw new DataJsonError('"files" must list one source file per segment');
  }
  const notAName = files?.findIndex((f) => typeof f !== 'string' || f.trim() === '') ?? -1;
  if (notAName >= 0) throw new DataJsonError(`"files" entry ${notAName + 1} is ${JSON.stringify(files![notAName]).slice(0, 60)}, not a file name`);
  if (d.segments.length === 0 || !d.shape) throw new DataJsonError('data.json holds no segments');
  const { frames, coefficients } = d.shape;
  const byClip = new Map<string, ClipFeatures>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= mapping.length) {
      throw new DataJsonError(`segment ${i}: label ${String(label)} is not an index into "mapping" (0…${mapping.length - 1})`);
    }
    // Without "files" (the recipe's own output) each segment stands alone; the by-clip split then
    // cannot keep a clip's segments together, and the UI says so.
    const path = files ? (files[i] as string) : `segment-${i}`;
    const genre = mapping[label] as string;
    let clip = byClip.get(path);
    if (!clip) {
      clip = { path, genre, segments: [] };
      byClip.set(path, clip);
    }
    else if (clip.genre !== genre) throw new DataJsonError(`${path}: its segments carry two labels (${clip.genre}, ${genre})`);
    clip.segments.push(d.segments[i]);
  }
  const seen = new Set<string>();
  for (const g of mapping as string[]) {
    if (seen.has(g)) throw new DataJsonError(`"mapping" names ${JSON.stringify(g)} twice: each genre must appear once`);
    seen.add(g);
  }
  const clips = [...byClip.values()];
  const problem = featureSetProblem({ genres: mapping as string[], clips });
  if (problem) throw new DataJsonError(problem);
  const settings = dataJsonSettings(d.settings, coefficients, frames);
  return { settings, genres: genresWithSegments(mapping as string[], clips), frames, coefficients, clips };
}

/**
 * The feature settings a data.json was made with: its own "settings" (checked to sane ranges, and
 * against the shape of its numbers), or the recipe's defaults when it has none (the recipe's file).
 */
function dataJsonSettings(given: unknown, coefficients: number, frames: number): FeatureSettings {
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    throw new DataJsonError('"settings" must be an object of feature settings');
  }
  const settings = withCoefficients({ ...DEFAULT_SETTINGS, ...((given as Partial<FeatureSettings>) ?? {}) }, coefficients);
  if (given === undefined) return recipeSettingsFor(settings, frames);
  const problem = validateSettings(settings);
  if (problem) throw new DataJsonError(`"settings": ${problem}`);
  if (framesPerSegment(settings) !== frames) {
    throw new DataJsonError(`"settings" give segments of ${framesPerSegment(settings)} frames, but the segments in "mfcc" have ${frames}`);
  }
  return settings;
}

/**
 * The recipe's own data.json has no settings, only its numbers: the segment count it was made
 * with (num_segments) is the one whose segments have this many frames at the recipe's rate, hop
 * and 30 s. Without this a 5-segment file trained a model that no reader could use.
 */
function recipeSettingsFor(defaults: FeatureSettings, frames: number): FeatureSettings {
  for (let segments = 1; segments <= SETTING_RANGES.segments.max; segments++) {
    const s = { ...defaults, segments };
    if (framesPerSegment(s) === frames && !validateSettings(s)) return s;
    if (framesPerSegment(s) < frames) break;
  }
  throw new DataJsonError(
    `data.json has no "settings" and its segments have ${frames} frames, which the recipe's settings ` +
      `(${defaults.sampleRate} Hz, hop ${defaults.hopLength}, ${defaults.trackSeconds} s clips) give for no number of segments: add "settings" saying how it was made`,
  );
}

/** Reads a parsed data.json (ours or the recipe's) back into clips, checking every shape. */
export function parseDataJson(value: unknown): FeatureSet {
  if (!value || typeof value !== 'object') throw new DataJsonError('data.json must hold a JSON object');
  const d = value as Partial<Record<keyof DataJson, unknown>>;
  if (!Array.isArray(d.mapping) || d.mapping.some((g) => typeof g !== 'string')) {
    throw new DataJsonError('"mapping" must be a list of genre names');
  }
  if (!Array.isArray(d.labels) || !Array.isArray(d.mfcc)) throw new DataJsonError('"labels" and "mfcc" must be lists');
  if (d.labels.length !== d.mfcc.length) {
    throw new DataJsonError(`"labels" has ${d.labels.length} entries but "mfcc" has ${d.mfcc.length}`);
  }
  if (d.mfcc.length === 0) throw new DataJsonError('data.json holds no segments');
  const shape = firstShape(d.mfcc[0]);
  const segments = d.mfcc.map((m, i) => segmentValues(i, m, shape));
  return assembleDataJson({ mapping: d.mapping, labels: d.labels, files: d.files, settings: d.settings, segments, shape });
}
