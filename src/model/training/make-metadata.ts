import type { FeatureSettings } from '../../dsp/settings';
import type { TrainingData } from '../../dataset/training-data';
import { METADATA_VERSION, type ModelMetadata } from '../../saving/metadata';
import type { Evaluation } from '../../evaluation/evaluate';
import type { SessionOptions, SessionState } from './session';
import { describeSizes, describeSplit, splitSizes } from '../data/split';
import { dataFingerprint } from '../data/fingerprint';
import { splitWarnings } from '../../evaluation/split-warnings';

/**
 * metadata.json for a model: the same in the page and on the command line. `evaluation` is the
 * test-split score, or null for a checkpoint taken during training.
 */
export function makeMetadata(
  data: TrainingData, features: FeatureSettings, o: SessionOptions, r: SessionState, evaluation: Evaluation | null,
  backend: string, fastLstm = false,
): ModelMetadata {
  const sizes = splitSizes(data, r.split);
  const names = (side: number[]) => [...new Set(side.map((i) => data.clipOf[i]))].sort((a, b) => a - b).map((c) => data.clipPaths[c]);
  return {
    format: 'gtzan-lab-model',
    version: METADATA_VERSION,
    genres: data.genres,
    features,
    inputShape: [data.frames, data.coefficients],
    standardization: r.standardization,
    model: o.model,
    training: {
      ...o.train,
      epochsCompleted: r.epochsCompleted,
      backend,
      fastLstm,
      ...(r.bestEpoch ? { bestEpoch: r.bestEpoch } : {}),
      ...(r.trainer ? { path: r.trainer.path, threads: r.trainer.threads } : {}),
      dataFingerprint: dataFingerprint(data),
    },
    split: {
      ...o.split,
      trainSegments: r.split.train.length,
      validationSegments: r.split.validation.length,
      testSegments: r.split.test.length,
      ...sizes,
      testClipNames: names(r.split.test),
      trainClipNames: names(r.split.train),
      validationClipNames: names(r.split.validation),
      sizes: describeSizes(o.split.mode, sizes),
      warnings: splitWarnings(data, r.split),
    },
    metrics:
      evaluation && evaluation.segments > 0
        ? {
            split: describeSplit(o.split.mode),
            testSegmentAccuracy: evaluation.segmentAccuracy,
            testClipAccuracy: evaluation.clipAccuracy,
            testLoss: evaluation.loss,
            testClips: evaluation.clips,
            ...(evaluation.intervals
              ? {
                  testClipInterval: [evaluation.intervals.clip.low, evaluation.intervals.clip.high] as [number, number],
                  testSegmentInterval: [evaluation.intervals.segment.low, evaluation.intervals.segment.high] as [number, number],
                }
              : {}),
            ...(evaluation.balancedClipAccuracy !== undefined && evaluation.intervals?.balancedClip
              ? {
                  testBalancedClipAccuracy: evaluation.balancedClipAccuracy,
                  testBalancedClipInterval: [evaluation.intervals.balancedClip.low, evaluation.intervals.balancedClip.high] as [
                    number,
                    number,
                  ],
                }
              : {}),
          }
        : null,
    createdAt: new Date().toISOString(),
  };
}
