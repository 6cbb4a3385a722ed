import type { FeatureSet } from '../../dataset/feature-set';
import { testSplitSegments, type DeletionResult } from '../../model/explain/deletion-check';
import type { ModelFiles } from '../../model/files/artifacts';
import type { ModelMetadata } from '../../model/files/metadata';
import { askExplainer } from './explainer-client';

/** Share of each segment's patches the check removes, as `npm run explain -- … --check` does. */
export const CHECK_FRACTION = 0.1;

/**
 * The deletion check of one model on its own test split, as a plain store a view observes: the
 * explain worker's progress, the result with what it ran on, or why not. Starting again or
 * cancelling ends the worker of the last one.
 */
export class DeletionCheckRun {
  result: (DeletionResult & { clips: number }) | undefined;
  progress: { done: number; total: number } | undefined;
  message = '';
  seconds = 0;
  private abort: AbortController | undefined;

  constructor(private readonly onChange: () => void) {}

  get busy(): boolean {
    return !!this.abort;
  }

  async start(model: { files: ModelFiles; metadata: ModelMetadata }, features: FeatureSet): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.abort = abort;
    this.result = undefined;
    this.message = '';
    const { clips, segments, labels } = testSplitSegments(features.clips, model.metadata);
    if (clips === 0) {
      this.abort = undefined;
      this.message = `None of the model's ${model.metadata.split.testClipNames.length} test clips is in the dataset loaded now: load the dataset it was trained on.`;
      this.onChange();
      return;
    }
    this.progress = { done: 0, total: 1 };
    this.onChange();
    const started = performance.now();
    try {
      const e = await askExplainer({ type: 'deletion-check', files: model.files, metadata: model.metadata, segments, labels, fraction: CHECK_FRACTION, backend: 'auto' },
        'deletion-checked', abort.signal, (done, total) => {
          if (this.abort !== abort) return;
          this.progress = { done, total };
          this.onChange();
        });
      if (this.abort !== abort) return;
      this.result = { ...e.result, clips };
      this.seconds = (performance.now() - started) / 1000;
    } catch (err) {
      if (this.abort === abort) this.message = abort.signal.aborted ? 'Deletion check cancelled.' : `Could not run the deletion check: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      if (this.abort === abort) {
        this.abort = undefined;
        this.progress = undefined;
        this.onChange();
      }
    }
  }

  cancel(): void {
    this.abort?.abort();
  }
}

/** What the three numbers say, in words. */
export function verdict(accuracy: number, explained: number, random: number): string {
  const points = (v: number) => `${(100 * v).toFixed(1)} points`;
  const costs = `Removing the marked regions costs ${points(accuracy - explained)}; removing random ones costs ${points(accuracy - random)}.`;
  if (explained < random) return `${costs} The explanation points at regions this model relies on.`;
  if (explained === random) return `${costs} The marked regions matter no more than random ones here: too few segments to tell, or the model does not rely on any one region.`;
  return `${costs} Removing the marked regions hurt less than random ones: these explanations do not point at what the model uses.`;
}
