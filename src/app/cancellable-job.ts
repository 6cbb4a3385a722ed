import { Store } from './store';

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
   * Runs `work`, with the progress it reports kept here. `onDone` takes its result while the job
   * is still the current one; when it failed, the message says why (after `failed`), and when it
   * was cancelled, says `cancelled`. A job replaced by a later one leaves everything to that one.
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
