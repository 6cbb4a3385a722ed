import type { FeatureSet } from '../dataset/feature-set';
import { testSplitSegments, type DeletionResult } from '../explain/deletion-check';
import type { ModelFiles } from '../saving/artifacts';
import type { ModelMetadata } from '../saving/metadata';
import type { AskExplainer } from '../explain/explain-protocol';
import { CancellableJob } from './cancellable-job';

/** Share of each segment's patches the check removes, as `npm run explain -- … --check` does. */
export const CHECK_FRACTION = 0.1;

/**
 * The deletion check of one model on its own test split: the explain worker's progress, the
 * result with what it ran on, or why not.
 */
export class DeletionCheckRun extends CancellableJob {
  result: (DeletionResult & { clips: number }) | undefined;
  seconds = 0;

  constructor(private readonly ask: AskExplainer) {
    super();
  }

  async start(model: { files: ModelFiles; metadata: ModelMetadata }, features: FeatureSet): Promise<void> {
    this.result = undefined;
    const { clips, segments, labels } = testSplitSegments(features.clips, model.metadata);
    if (clips === 0) {
      this.refuse(
        `None of the model's ${model.metadata.split.testClipNames.length} test clips is in the dataset loaded now: load the dataset it was trained on.`,
      );
      return;
    }
    const started = performance.now();
    await this.run(
      (signal, onProgress) =>
        this.ask(
          {
            type: 'deletion-check',
            files: model.files,
            metadata: model.metadata,
            segments,
            labels,
            fraction: CHECK_FRACTION,
            backend: 'auto',
          },
          'deletion-checked',
          signal,
          onProgress,
        ),
      { cancelled: 'Deletion check cancelled.', failed: 'Could not run the deletion check' },
      (e) => {
        this.result = { ...e.result, clips };
        this.seconds = (performance.now() - started) / 1000;
      },
    );
  }

  /** Forgets the last result (it was about another model) and ends a check in flight. */
  clear(): void {
    this.reset();
    this.result = undefined;
    this.changed();
  }
}

/** What the three numbers say, in words. */
export function verdict(accuracy: number, explained: number, random: number): string {
  const points = (v: number) => `${(100 * v).toFixed(1)} points`;
  const costs = `Removing the marked regions costs ${points(accuracy - explained)}; removing random ones costs ${points(accuracy - random)}.`;
  if (explained < random) return `${costs} The explanation points at regions this model relies on.`;
  if (explained === random)
    return `${costs} The marked regions matter no more than random ones here: too few segments to tell, or the model does not rely on any one region.`;
  return `${costs} Removing the marked regions hurt less than random ones: these explanations do not point at what the model uses.`;
}
