/** An occlusion map's patches in the clip's own terms: seconds of the clip and, for log-mel, Hz. */
import { hzToMel, melToHz } from '../dsp/mel';
import { featureTypeOf, samplesPerSegment, type FeatureSettings } from '../dsp/settings';
import { genreMap, type OcclusionMap } from './occlusion';

export interface PlacedRegion {
  segment: number;
  timePatch: number;
  bandPatch: number;
  /** The drop in the genre's probability when the patch is occluded. */
  weight: number;
  /** Where it lies in the clip, in seconds. */
  start: number;
  end: number;
  /** Mel bands (log-mel) or coefficients (MFCC), 1-based and inclusive, and for log-mel the Hz they span. */
  rows: [number, number];
  hz?: [number, number];
}

/** Seconds from the clip's start at which segment `s` begins (segments are cut end to end). */
export function segmentStart(s: number, settings: FeatureSettings): number {
  return (s * samplesPerSegment(settings)) / settings.sampleRate;
}

/** The frequency range of mel bands [first, end) of an nMels filterbank from 0 to Nyquist (librosa's Slaney mel scale). */
export function melBandHz(first: number, end: number, settings: FeatureSettings): [number, number] {
  const top = hzToMel(settings.sampleRate / 2);
  // Band b's filter spans mel points b .. b + 2 of nMels + 2 equally spaced points.
  const at = (i: number) => melToHz((i * top) / (settings.nMels + 1));
  return [at(first), at(end + 1)];
}

/** Every patch of segment `s` for `genre`, placed in the clip. */
export function placedRegions(m: OcclusionMap, settings: FeatureSettings, s: number, genre: number): PlacedRegion[] {
  const w = genreMap(m, s, genre);
  const frameSeconds = settings.hopLength / settings.sampleRate;
  const segmentSeconds = samplesPerSegment(settings) / settings.sampleRate;
  const t0 = segmentStart(s, settings);
  const logmel = featureTypeOf(settings) === 'logmel';
  return Array.from(w, (weight, p) => {
    const tp = Math.floor(p / m.bandPatches);
    const bp = p % m.bandPatches;
    const f0 = tp * m.patchFrames;
    const f1 = Math.min(m.frames, f0 + m.patchFrames);
    const b0 = bp * m.patchBands;
    const b1 = Math.min(m.coefficients, b0 + m.patchBands);
    return {
      segment: s, timePatch: tp, bandPatch: bp, weight,
      start: t0 + Math.max(0, f0 * frameSeconds), end: t0 + Math.min(segmentSeconds, f1 * frameSeconds),
      rows: [b0 + 1, b1], hz: logmel ? melBandHz(b0, b1, settings) : undefined,
    };
  });
}

/** The `n` regions of the clip that moved the model most toward `genre`, largest first. */
export function strongestRegions(m: OcclusionMap, settings: FeatureSettings, genre: number, n: number): PlacedRegion[] {
  return m.base.flatMap((_, s) => placedRegions(m, settings, s, genre)).sort((a, b) => b.weight - a.weight).slice(0, n);
}
