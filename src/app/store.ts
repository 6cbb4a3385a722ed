/**
 * The smallest observable: listeners subscribe, and the object calls `changed()` after it
 * changes. Views re-render on it (ui/shared/store-watch.ts); tests count the calls.
 */
export class Store {
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` after every change; returns the way to stop. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected changed(): void {
    for (const listener of this.listeners) listener();
  }
}
