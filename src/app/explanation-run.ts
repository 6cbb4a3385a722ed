import type { ModelFiles } from '../saving/artifacts';
import type { ModelMetadata } from '../saving/metadata';
import type { OcclusionMap } from '../explain/occlusion';
import type { AskExplainer } from '../explain/explain-protocol';
import { CancellableJob } from './cancellable-job';

/** One explanation at a time: the worker's progress, the map when done, or why not. */
export class ExplanationRun extends CancellableJob {
  map: OcclusionMap | undefined;
  /** The features the map was made from, drawn under it. */
  segments: Float32Array[] = [];
  seconds = 0;

  constructor(private readonly ask: AskExplainer) {
    super();
  }

  async start(model: { files: ModelFiles; metadata: ModelMetadata }, segments: Float32Array[]): Promise<void> {
    this.map = undefined;
    this.segments = segments;
    await this.run(
      (signal, onProgress) =>
        this.ask(
          { type: 'explain', files: model.files, metadata: model.metadata, segments, backend: 'auto' },
          'explained',
          signal,
          onProgress,
        ),
      { cancelled: 'Explanation cancelled.', failed: 'Could not explain' },
      (e) => {
        this.map = e.map;
        this.seconds = e.seconds;
      },
    );
  }

  clear(): void {
    this.reset();
    this.map = undefined;
    this.segments = [];
    this.changed();
  }
}
