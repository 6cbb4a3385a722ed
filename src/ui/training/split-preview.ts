import type { FeatureSet } from '../../dataset/feature-set';
import { splitInputOf } from '../../dataset/training-data';
import type { SplitOptions } from '../../model/data/split-options';

export interface SplitPreview {
  /** "fault-filtered split: 443 train / 197 validation / 290 test clips, 70 left out". */
  sizes: string;
  trainSegments: number;
  /** Why this split cannot train and test a model (an empty side), if it cannot. */
  problem?: string;
  /** What makes its numbers weak (few test clips, a genre missing from a side), in sentences. */
  warnings: string[];
}

/**
 * Makes a split on the features' clips without copying the features, to show its sizes before
 * training. The split code (with GTZAN's lists) loads on first use, not with the page.
 */
export async function previewSplit(features: FeatureSet, options: SplitOptions): Promise<SplitPreview> {
  const [{ splitData, splitProblem, splitSizes, describeSizes }, { splitWarnings }] = await Promise.all([
    import('../../model/data/split'), import('../../evaluation/split-warnings'),
  ]);
  const input = splitInputOf(features);
  const split = splitData(input, options);
  const problem = splitProblem(input, split);
  return {
    sizes: describeSizes(options.mode, splitSizes(input, split)),
    trainSegments: split.train.length,
    problem,
    warnings: problem ? [] : splitWarnings(input, split),
  };
}
