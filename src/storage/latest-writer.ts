/**
 * Writes only the newest of a stream of values, one write at a time. A small model finishes
 * dozens of epochs a second; a checkpoint write for each queued up in IndexedDB until another
 * tab's read of the same store waited seconds behind them. Here a value offered while a write is
 * in flight replaces any value still waiting, so at most one write waits behind the one running.
 */
export class LatestWriter<T> {
  private pending: { value: T } | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly write: (value: T) => Promise<unknown>) {}

  offer(value: T): void {
    if (this.closed) return;
    this.pending = { value };
    this.running ??= this.drain();
  }

  /** Drops what still waits, and resolves when the write in flight (if any) has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = undefined;
    await this.running;
  }

  /** Resolves when every value offered so far has been written (or has given way to a newer one). */
  async flush(): Promise<void> {
    await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const { value } = this.pending;
      this.pending = undefined;
      try {
        await this.write(value);
      } catch {
        // Reporting a failed write is the caller's; the next value may still be written.
      }
    }
    this.running = undefined;
  }
}
