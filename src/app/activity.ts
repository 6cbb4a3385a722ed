/**
 * What the page is busy with (extracting, training, tuning, classifying): the activity line shows
 * it wherever the page is scrolled, with each piece's progress and a Stop, and the update banner
 * never offers a reload in the middle of work that a reload would lose.
 */
export interface Activity {
  what: string;
  /** Progress in words, e.g. "epoch 3/30" or "12/100 clips"; empty when there is none yet. */
  detail: string;
  /** Stops the work, where it can be stopped from outside its panel. */
  stop?: () => void;
}

const running = new Map<number, Activity>();
let nextId = 0;
/** How the last piece of work ended, where that needs saying once it no longer runs (a diverged run); cleared when work starts. */
let endNote = '';
export const activityChanged = new EventTarget();
const changed = () => activityChanged.dispatchEvent(new Event('change'));

/** Marks work as started; call the returned function when it ends, however it ends. */
export function beginActivity(what: string, stop?: () => void): () => void {
  const id = nextId++;
  endNote = '';
  running.set(id, { what, detail: '', stop });
  changed();
  return () => {
    if (running.delete(id)) changed();
  };
}

/** Says how work ended, on the activity line until other work starts. */
export function noteEnded(note: string): void {
  endNote = note;
  changed();
}

/** The note of the last piece of work that ended with one, or ''. */
export function endedNote(): string {
  return endNote;
}

/** The kinds of work in progress, e.g. ["feature extraction", "training"]. */
export function activities(): string[] {
  return [...new Set([...running.values()].map((a) => a.what))];
}

/** The work in progress with its progress and Stop, oldest first. */
export function activityList(): Activity[] {
  return [...running.values()];
}

/** One panel's busy flag, kept in step with a boolean the panel already has, with its progress. */
export class ActivityFlag {
  private end: (() => void) | undefined;
  private id = -1;
  constructor(private readonly what: string, private readonly stop?: () => void) {}

  set(on: boolean, detail = ''): void {
    if (on && !this.end) {
      this.end = beginActivity(this.what, this.stop);
      this.id = nextId - 1;
    } else if (!on && this.end) {
      this.end();
      this.end = undefined;
    }
    const a = running.get(this.id);
    if (on && a && a.detail !== detail) {
      a.detail = detail;
      changed();
    }
  }
}
