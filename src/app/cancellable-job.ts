import type { ExplainEvent, ExplainRequest } from '../model/explain/explain-protocol';
import { Store } from './store';

/**
 * Sends one job to a fresh explain worker and resolves with its first event of `type`, reporting
 * progress; aborting `signal` ends the worker (the page's is ui/shared/explainer-client.ts).
 */
export type AskExplainer = <T extends ExplainEvent['type']>(
  req: ExplainRequest, type: T, signal: AbortSignal, onProgress?: (done: number, total: number) => void,
) => Promise<Extract<ExplainEvent, { type: T }>>;

/**
 * One worker job at a time, as a store a view observes: its progress while it runs, and why it
 * did not finish. Starting again or cancelling ends the last one; a job that was replaced or
 * cancelled changes nothing when its answer comes late.
 */
export class CancellableJob extends Store {
  progress: { done: number; total: number } | undefined;
  message = '';
  private abort: AbortController | undefined;

  get busy(): boolean {
    return !!this.abort;
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** Ends the job in flight and forgets its progress and message. */
  protected reset(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.progress = undefined;
    this.message = '';
  }

  /**
   * Runs `work`, with the progress it reports kept here. Resolves with its result, or with
   * undefined when it failed (the message says why, after `failed`), was cancelled (`cancelled`)
   * or was replaced by a later job; `onDone` runs only for a result still current.
   */
  protected async run<T>(
    work: (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<T>,
    words: { cancelled: string; failed: string },
    onDone: (result: T) => void,
  ): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.abort = abort;
    this.message = '';
    this.progress = { done: 0, total: 1 };
    this.changed();
    try {
      const result = await work(abort.signal, (done, total) => {
        if (this.abort !== abort) return;
        this.progress = { done, total };
        this.changed();
      });
      if (this.abort === abort) onDone(result);
    } catch (err) {
      if (this.abort === abort) this.message = abort.signal.aborted ? words.cancelled : `${words.failed}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      if (this.abort === abort) {
        this.abort = undefined;
        this.progress = undefined;
        this.changed();
      }
    }
  }

  /** Says why a job could not start. */
  protected refuse(message: string): void {
    this.reset();
    this.message = message;
    this.changed();
  }
}
