import type { ModelFiles } from '../../model/files/artifacts';
import type { ModelMetadata } from '../../model/files/metadata';
import type { OcclusionMap } from '../../model/explain/occlusion';
import { askExplainer } from './explainer-client';

/**
 * One explanation at a time, as a plain store a component observes: the worker's progress, the
 * map when done, or why not. Starting again or cancelling ends the worker of the last one.
 */
export class ExplanationRun {
  map: OcclusionMap | undefined;
  /** The features the map was made from, drawn under it. */
  segments: Float32Array[] = [];
  progress: { done: number; total: number } | undefined;
  message = '';
  seconds = 0;
  private abort: AbortController | undefined;

  constructor(private readonly onChange: () => void) {}

  get busy(): boolean {
    return !!this.abort;
  }

  async start(model: { files: ModelFiles; metadata: ModelMetadata }, segments: Float32Array[]): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.abort = abort;
    this.map = undefined;
    this.segments = segments;
    this.message = '';
    this.progress = { done: 0, total: 1 };
    this.onChange();
    try {
      const e = await askExplainer({ type: 'explain', files: model.files, metadata: model.metadata, segments, backend: 'auto' }, 'explained', abort.signal, (done, total) => {
        if (this.abort !== abort) return;
        this.progress = { done, total };
        this.onChange();
      });
      if (this.abort !== abort) return;
      this.map = e.map;
      this.seconds = e.seconds;
    } catch (err) {
      if (this.abort === abort) this.message = abort.signal.aborted ? 'Explanation cancelled.' : `Could not explain: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      if (this.abort === abort) {
        this.abort = undefined;
        this.progress = undefined;
        this.onChange();
      }
    }
  }

  cancel(): void {
    const a = this.abort;
    if (!a) return;
    a.abort();
  }

  clear(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.map = undefined;
    this.segments = [];
    this.progress = undefined;
    this.message = '';
    this.onChange();
  }
}
