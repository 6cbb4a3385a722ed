import { DEFAULT_SETTINGS, type FeatureSettings } from '../dsp/settings';
import type { ClipFeatures, FeatureSet } from './feature-set';

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

/** Reads a data.json (ours or the recipe's) back into clips, checking every shape. */
export function parseDataJson(value: unknown): FeatureSet {
  if (!value || typeof value !== 'object') throw new DataJsonError('data.json must hold a JSON object');
  const d = value as Partial<DataJson>;
  if (!Array.isArray(d.mapping) || d.mapping.some((g) => typeof g !== 'string')) {
    throw new DataJsonError('"mapping" must be a list of genre names');
  }
  if (!Array.isArray(d.labels) || !Array.isArray(d.mfcc)) throw new DataJsonError('"labels" and "mfcc" must be lists');
  if (d.labels.length !== d.mfcc.length) {
    throw new DataJsonError(`"labels" has ${d.labels.length} entries but "mfcc" has ${d.mfcc.length}`);
  }
  if (d.files !== undefined && (!Array.isArray(d.files) || d.files.length !== d.labels.length)) {
    throw new DataJsonError('"files" must list one source file per segment');
  }
  if (d.mfcc.length === 0) throw new DataJsonError('data.json holds no segments');
  const first = d.mfcc[0];
  if (!Array.isArray(first) || !Array.isArray(first[0])) throw new DataJsonError('"mfcc" must be a list of frames × coefficients matrices');
  const frames = first.length;
  const coefficients = first[0].length;
  const settings: FeatureSettings = { ...DEFAULT_SETTINGS, ...(d.settings ?? {}), nMfcc: coefficients };
  const byClip = new Map<string, ClipFeatures>();
  for (let i = 0; i < d.mfcc.length; i++) {
    const label = d.labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= d.mapping.length) {
      throw new DataJsonError(`segment ${i}: label ${String(label)} is not an index into "mapping" (0…${d.mapping.length - 1})`);
    }
    const m = d.mfcc[i];
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
        seg[f * coefficients + k] = v;
      }
    }
    // Without "files" (the recipe's own output) each segment stands alone; the by-clip split then
    // cannot keep a clip's segments together, and the UI says so.
    const path = d.files ? String(d.files[i]) : `segment-${i}`;
    const genre = d.mapping[label];
    let clip = byClip.get(path);
    if (!clip) byClip.set(path, (clip = { path, genre, segments: [] }));
    else if (clip.genre !== genre) throw new DataJsonError(`${path}: its segments carry two labels (${clip.genre}, ${genre})`);
    clip.segments.push(seg);
  }
  return { settings, genres: [...d.mapping], frames, coefficients, clips: [...byClip.values()] };
}
