import type { Mfcc } from './mfcc-engine';
import { framesPerSegment, samplesPerSegment } from './settings';

export interface SegmentOptions {
  /**
   * Cut as many segments as the whole signal holds instead of the recipe's fixed count from the
   * first `trackSeconds` (used when classifying clips of any length).
   */
  wholeSignal?: boolean;
}

/**
 * The recipe's cut: `segments` equal parts of the first `trackSeconds`, each turned into MFCCs and
 * kept only when it has exactly ceil(samplesPerSegment / hop) frames — so a short clip keeps the
 * full segments it has and drops the partial one.
 */
export function segmentMfccs(signal: Float32Array, extractor: Mfcc, opts: SegmentOptions = {}): Float32Array[] {
  const s = extractor.settings;
  const size = samplesPerSegment(s);
  const expected = framesPerSegment(s);
  const count = opts.wholeSignal ? Math.floor(signal.length / size) : s.segments;
  const out: Float32Array[] = [];
  for (let d = 0; d < count; d++) {
    const start = d * size;
    const end = Math.min(start + size, signal.length);
    if (end <= start) break;
    // The frame count depends only on the length, so skip the work for segments that would be dropped.
    if (extractor.frameCount(end - start) !== expected) continue;
    out.push(extractor.compute(signal, start, end));
  }
  return out;
}
