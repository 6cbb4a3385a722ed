/**
 * Occlusion: which time-frequency regions of a segment moved the model toward a genre. Each
 * patch of the model's input (a block of frames × bands or coefficients) is replaced in turn by a
 * neutral value and the segment is classified again; the drop in a genre's probability is that
 * patch's weight for the genre. It needs only forward passes, so it explains the LSTM, the 2-D
 * CNN and the 1-D CNN alike, and the whole map for every genre comes from one set of passes.
 */

/** Classifies `count` standardised segments laid end to end; gives `count` × genres probabilities. */
export type Predict = (x: Float32Array, count: number) => Promise<Float32Array>;

/**
 * What a patch is replaced by. `training-mean`: 0 after standardisation, each coefficient's mean
 * over the training set (the model's own idea of "nothing special"); `segment-mean`: the mean of
 * the segment's values (for models trained without standardisation).
 */
export type Baseline = 'training-mean' | 'segment-mean';

export interface OcclusionGrid {
  frames: number;
  coefficients: number;
  /** Patch size: frames across, coefficients (bands) up. */
  patchFrames: number;
  patchBands: number;
}

export interface OcclusionOptions {
  patchFrames?: number;
  patchBands?: number;
  baseline?: Baseline;
  /** Segments classified per forward pass. */
  batchSize?: number;
  /** Called after each batch with segments done of all. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  shouldStop?: () => boolean;
}

export interface OcclusionMap extends OcclusionGrid {
  genres: string[];
  baseline: Baseline;
  /** Patches across (time) and up (bands) per segment. */
  timePatches: number;
  bandPatches: number;
  /** Each segment's probabilities as it is. */
  base: number[][];
  /** [segment][timePatch][bandPatch][genre]: the probability lost when that patch is occluded (negative: it counted against the genre). */
  drops: Float32Array;
}

/** Patches of about a third of a second by an eighth of the bands: coarse enough to hear, fine enough to tell bass from cymbals. */
export function defaultGrid(frames: number, coefficients: number): OcclusionGrid {
  return { frames, coefficients, patchFrames: Math.max(1, Math.round(frames / 13)), patchBands: Math.max(1, Math.ceil(coefficients / 8)) };
}

export function patchCounts(g: OcclusionGrid): { timePatches: number; bandPatches: number } {
  return { timePatches: Math.ceil(g.frames / g.patchFrames), bandPatches: Math.ceil(g.coefficients / g.patchBands) };
}

/** Replaces patch (tp, bp) of the segment at `offset` in `x` by `value`, in place. */
export function occludePatch(x: Float32Array, offset: number, g: OcclusionGrid, tp: number, bp: number, value: number): void {
  const f1 = Math.min(g.frames, (tp + 1) * g.patchFrames);
  const b1 = Math.min(g.coefficients, (bp + 1) * g.patchBands);
  for (let f = tp * g.patchFrames; f < f1; f++) {
    const row = offset + f * g.coefficients;
    for (let b = bp * g.patchBands; b < b1; b++) x[row + b] = value;
  }
}

/** The value a patch of this segment is replaced by. */
export function baselineValue(segment: Float32Array, baseline: Baseline): number {
  if (baseline === 'training-mean') return 0;
  let sum = 0;
  for (const v of segment) sum += v;
  return sum / (segment.length || 1);
}

/**
 * The occlusion map of standardised segments: for each segment, its probabilities as it is and
 * with each patch occluded. Batches are sent to `predict` one at a time so a worker can report
 * progress and stop between them.
 */
export async function occlusionMap(
  predict: Predict,
  genres: string[],
  segments: Float32Array[],
  frames: number,
  coefficients: number,
  opts: OcclusionOptions = {},
): Promise<OcclusionMap> {
  const d = defaultGrid(frames, coefficients);
  const g: OcclusionGrid = {
    frames,
    coefficients,
    patchFrames: opts.patchFrames ?? d.patchFrames,
    patchBands: opts.patchBands ?? d.patchBands,
  };
  const { timePatches, bandPatches } = patchCounts(g);
  const baseline = opts.baseline ?? 'training-mean';
  const size = frames * coefficients;
  const c = genres.length;
  const perSegment = 1 + timePatches * bandPatches;
  const total = segments.length * perSegment;
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  const probs = new Float32Array(total * c);
  // Input j of the whole job: segment floor(j / perSegment), patch (j % perSegment) - 1, or none for 0.
  const batch = new Float32Array(batchSize * size);
  for (let start = 0; start < total; start += batchSize) {
    if (opts.shouldStop?.()) throw new DOMException('stopped', 'AbortError');
    const n = Math.min(batchSize, total - start);
    for (let i = 0; i < n; i++) {
      const j = start + i;
      const s = Math.floor(j / perSegment);
      const p = (j % perSegment) - 1;
      batch.set(segments[s], i * size);
      if (p >= 0) occludePatch(batch, i * size, g, Math.floor(p / bandPatches), p % bandPatches, baselineValue(segments[s], baseline));
    }
    const out = await predict(n === batchSize ? batch : batch.subarray(0, n * size), n);
    probs.set(out.subarray(0, n * c), start * c);
    await opts.onProgress?.(start + n, total);
  }
  const base: number[][] = [];
  const drops = new Float32Array(segments.length * timePatches * bandPatches * c);
  for (let s = 0; s < segments.length; s++) {
    const b = s * perSegment * c;
    base.push(Array.from(probs.subarray(b, b + c)));
    for (let p = 0; p < timePatches * bandPatches; p++) {
      for (let k = 0; k < c; k++) drops[(s * timePatches * bandPatches + p) * c + k] = probs[b + k] - probs[b + (p + 1) * c + k];
    }
  }
  return { ...g, genres, baseline, timePatches, bandPatches, base, drops };
}

/** One segment's weights for one genre: timePatches × bandPatches, row-major by time. */
export function genreMap(m: OcclusionMap, segment: number, genre: number): Float32Array {
  const n = m.timePatches * m.bandPatches;
  const c = m.genres.length;
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) out[p] = m.drops[(segment * n + p) * c + genre];
  return out;
}

/** The genre of the whole clip (mean of the segments' probabilities), as an output index. */
export function predictedGenre(m: OcclusionMap): number {
  const c = m.genres.length;
  const mean = new Array<number>(c).fill(0);
  for (const p of m.base) p.forEach((v, k) => { mean[k] += v; });
  return mean.indexOf(Math.max(...mean));
}

export interface Region {
  segment: number;
  timePatch: number;
  bandPatch: number;
  weight: number;
  /** Frames [first, end) and bands [first, end) within the segment. */
  frames: [number, number];
  bands: [number, number];
}

/** The `n` patches that moved the model most toward `genre`, across all segments, largest first. */
export function topRegions(m: OcclusionMap, genre: number, n: number): Region[] {
  const all: Region[] = [];
  for (let s = 0; s < m.base.length; s++) {
    const w = genreMap(m, s, genre);
    w.forEach((weight, p) => {
      const tp = Math.floor(p / m.bandPatches);
      const bp = p % m.bandPatches;
      all.push({ segment: s, timePatch: tp, bandPatch: bp, weight,
        frames: [tp * m.patchFrames, Math.min(m.frames, (tp + 1) * m.patchFrames)],
        bands: [bp * m.patchBands, Math.min(m.coefficients, (bp + 1) * m.patchBands)] });
    });
  }
  return all.sort((a, b) => b.weight - a.weight).slice(0, n);
}

/** Frame index to seconds within the segment (frames are centred every `hop` samples). */
export function frameSeconds(frame: number, hopLength: number, sampleRate: number): number {
  return (frame * hopLength) / sampleRate;
}
