import { unzipSync, zipSync } from 'fflate';
import { framesPerSegment, validateSettings, withCoefficients, type FeatureSettings } from '../dsp/settings';
import { DataJsonError } from './data-json';
import { toTrainingData } from './training-data';
import { featureSetProblem, genresWithSegments, type ClipFeatures, type FeatureSet } from './feature-set';

/**
 * Features as NumPy arrays: an .npz (a zip of .npy files) that `np.load` reads with numpy alone.
 *
 *   X            float32 [segments, frames, coefficients]
 *   y            int32 [segments]: index into genre_names
 *   clip_index   int32 [segments]: index into clip_names
 *   clip_names   str [clips], genre_names str [genres]
 *   settings     str (0-d): the feature settings as JSON
 *   split        int8 [clips]: 0 train, 1 validation, 2 test, -1 in none (only with a training run)
 *   split_info   str (0-d): the run's split as JSON (mode, seed, sizes)
 */

/** The split of a training run, by clip path. */
export interface NpzSplit {
  train: readonly string[];
  validation: readonly string[];
  test: readonly string[];
  info: object;
}

type Dtype = '<f4' | '<i4' | '|i1' | `<U${number}`;

/** One .npy file: the version 1.0 header, padded so the data starts on a 64-byte boundary. */
function npy(dtype: Dtype, shape: number[], data: Uint8Array): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${dims}, }`;
  const total = 10 + header.length + 1;
  header += `${' '.repeat((64 - (total % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Fixed-width UTF-32 strings, NumPy's '<U n' (readable without pickle). */
function strings(list: readonly string[], shape: number[]): Uint8Array {
  const points = list.map((s) => Array.from(s, (c) => c.codePointAt(0)!));
  const width = Math.max(1, ...points.map((p) => p.length));
  const data = new Uint32Array(width * list.length);
  points.forEach((p, i) => { data.set(p, i * width); });
  return npy(`<U${width}`, shape, bytesOf(data));
}

export function featuresToNpz(set: FeatureSet, split?: NpzSplit): Uint8Array {
  // The training block is the same layout: every segment in order, its label and its clip.
  const { x, labels: y, clipOf: clipIndex } = toTrainingData(set);
  const n = y.length;
  const files: Record<string, Uint8Array> = {
    'X.npy': npy('<f4', [n, set.frames, set.coefficients], bytesOf(x)),
    'y.npy': npy('<i4', [n], bytesOf(y)),
    'clip_index.npy': npy('<i4', [n], bytesOf(clipIndex)),
    'clip_names.npy': strings(set.clips.map((c) => c.path), [set.clips.length]),
    'genre_names.npy': strings(set.genres, [set.genres.length]),
    'settings.npy': strings([JSON.stringify(set.settings)], []),
  };
  if (split) {
    const side = new Map<string, number>();
    split.train.forEach((p) => { side.set(p, 0); });
    split.validation.forEach((p) => { side.set(p, 1); });
    split.test.forEach((p) => { side.set(p, 2); });
    files['split.npy'] = npy('|i1', [set.clips.length], bytesOf(Int8Array.from(set.clips, (c) => side.get(c.path) ?? -1)));
    files['split_info.npy'] = strings([JSON.stringify(split.info)], []);
  }
  // Stored, not deflated: float features barely compress, and np.load reads either.
  return zipSync(files, { level: 0 });
}

interface Array_ {
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/** Parses one .npy (version 1, 2 or 3; little-endian, C order). */
function parseNpy(name: string, b: Uint8Array): Array_ {
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') throw new DataJsonError(`${name} is not a .npy array`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const major = b[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(b.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || fortran === undefined || shapeText === undefined) throw new DataJsonError(`${name}: unreadable .npy header`);
  if (fortran === 'True') throw new DataJsonError(`${name} is in Fortran order; save it C-ordered (np.ascontiguousarray)`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new DataJsonError(`${name}: its shape (${shapeText.trim()}) is not a list of whole numbers`);
  const data = b.subarray(start + headerLength);
  // The header's shape and dtype say how many bytes follow; the array must hold exactly those,
  // checked before anything is allocated for it.
  const width = itemBytes(descr);
  const values = shape.reduce((p, d) => p * d, 1);
  if (width !== undefined && values * width !== data.length) {
    throw new DataJsonError(
      `${name} declares ${shape.length ? shape.join(' × ') : 'one'} ${descr} value${values === 1 ? '' : 's'} (${(values * width).toLocaleString('en')} bytes) but holds ${data.length.toLocaleString('en')} bytes`,
    );
  }
  return { dtype: descr, shape, data };
}

/** Bytes per value of the dtypes the lab reads (undefined for others, refused where they are read). */
function itemBytes(dtype: string): number | undefined {
  const unicode = /^<U(\d+)$/.exec(dtype);
  if (unicode) return 4 * Number(unicode[1]);
  return ITEM_BYTES.get(dtype);
}

const ITEM_BYTES = new Map([['<f4', 4], ['<f8', 8], ['<i4', 4], ['<i8', 8], ['|i1', 1]]);

/** A copy at an aligned offset, so typed arrays can view it. */
function aligned(a: Array_): ArrayBuffer {
  return a.data.slice().buffer;
}

function numbers(a: Array_, name: string): Float32Array | Int32Array | Float64Array | BigInt64Array | Int8Array {
  switch (a.dtype) {
    case '<f4': return new Float32Array(aligned(a));
    case '<f8': return new Float64Array(aligned(a));
    case '<i4': return new Int32Array(aligned(a));
    case '<i8': return new BigInt64Array(aligned(a));
    case '|i1': return new Int8Array(aligned(a));
    default: throw new DataJsonError(`${name} holds ${a.dtype}; the lab reads float32/float64 features and int32/int64 indices`);
  }
}

function stringList(a: Array_, name: string): string[] {
  const m = /^<U(\d+)$/.exec(a.dtype);
  if (!m) throw new DataJsonError(`${name} must hold strings (NumPy '<U'), not ${a.dtype}`);
  const width = Number(m[1]);
  const points = new Uint32Array(aligned(a));
  const count = a.shape.reduce((p, s) => p * s, 1);
  return Array.from({ length: count }, (_, i) => String.fromCodePoint(...Array.from(points.subarray(i * width, (i + 1) * width)).filter((c) => c !== 0)));
}

/** Reads an .npz the lab (or anyone, with the same array names) wrote back into features. */
export function npzToFeatures(bytes: Uint8Array): FeatureSet {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => /^(X|y|clip_index|clip_names|genre_names|settings)\.npy$/.test(f.name) });
  } catch (e) {
    throw new DataJsonError(`not a readable .npz (${e instanceof Error ? e.message : String(e)})`);
  }
  const need = (name: string) => {
    const b = entries[`${name}.npy`];
    if (!b) throw new DataJsonError(`the .npz has no ${name} array (it needs X, y, clip_index, clip_names, genre_names, settings)`);
    return parseNpy(`${name}.npy`, b);
  };
  const xa = need('X');
  if (xa.shape.length !== 3) throw new DataJsonError(`X must be [segments, frames, coefficients], not ${JSON.stringify(xa.shape)}`);
  const [n, frames, coefficients] = xa.shape;
  const x = Float32Array.from(numbers(xa, 'X') as Float32Array);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new DataJsonError(`X holds ${x[i]} in segment ${Math.floor(i / (frames * coefficients))}`);
  }
  const y = Array.from(numbers(need('y'), 'y'), Number);
  const clipIndex = Array.from(numbers(need('clip_index'), 'clip_index'), Number);
  const clipNames = stringList(need('clip_names'), 'clip_names');
  const genres = stringList(need('genre_names'), 'genre_names');
  let given: unknown;
  try {
    given = JSON.parse(stringList(need('settings'), 'settings')[0]);
  } catch {
    throw new DataJsonError('settings is not the feature settings as JSON');
  }
  if (y.length !== n || clipIndex.length !== n) throw new DataJsonError(`y and clip_index must have one entry per segment of X (${n})`);
  const settings = withCoefficients(given as FeatureSettings, coefficients);
  const problem = validateSettings(settings);
  if (problem) throw new DataJsonError(`settings: ${problem}`);
  if (framesPerSegment(settings) !== frames) {
    throw new DataJsonError(`settings give segments of ${framesPerSegment(settings)} frames, but X's segments have ${frames}`);
  }
  if (new Set(genres).size !== genres.length) throw new DataJsonError('genre_names names a genre twice');
  const clips: ClipFeatures[] = clipNames.map((path) => ({ path, genre: '', segments: [] }));
  const size = frames * coefficients;
  for (let i = 0; i < n; i++) {
    const c = clips[clipIndex[i]];
    const genre = genres[y[i]];
    if (!c) throw new DataJsonError(`segment ${i}: clip_index ${clipIndex[i]} is not an index into clip_names`);
    if (genre === undefined) throw new DataJsonError(`segment ${i}: y ${y[i]} is not an index into genre_names`);
    if (c.genre && c.genre !== genre) throw new DataJsonError(`${c.path}: its segments carry two labels (${c.genre}, ${genre})`);
    c.genre = genre;
    c.segments.push(x.slice(i * size, (i + 1) * size));
  }
  const kept = clips.filter((c) => c.segments.length > 0);
  const set = { settings, genres: genresWithSegments(genres, kept), frames, coefficients, clips: kept };
  const bad = featureSetProblem({ genres, clips: kept });
  if (bad) throw new DataJsonError(bad);
  return set;
}
