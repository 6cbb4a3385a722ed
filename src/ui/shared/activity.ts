/**
 * What the page is busy with (extracting, training, tuning, classifying), so that a reload offered
 * by the update banner is never taken in the middle of work that a reload would lose.
 */
const running = new Map<number, string>();
let nextId = 0;
export const activityChanged = new EventTarget();

/** Marks work as started; call the returned function when it ends, however it ends. */
export function beginActivity(what: string): () => void {
  const id = nextId++;
  running.set(id, what);
  activityChanged.dispatchEvent(new Event('change'));
  return () => {
    if (running.delete(id)) activityChanged.dispatchEvent(new Event('change'));
  };
}

/** The work in progress, e.g. ["feature extraction", "training"]. */
export function activities(): string[] {
  return [...new Set(running.values())];
}

/** One panel's busy flag, kept in step with a boolean the panel already has. */
export class ActivityFlag {
  private end: (() => void) | undefined;
  constructor(private readonly what: string) {}

  set(on: boolean): void {
    if (on && !this.end) this.end = beginActivity(this.what);
    else if (!on && this.end) {
      this.end();
      this.end = undefined;
    }
  }
}
