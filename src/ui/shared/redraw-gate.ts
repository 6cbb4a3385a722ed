/**
 * Lets a chart draw at most once per `interval` ms, and only while it is on screen and its tab is
 * shown: vega redraws a whole chart for every change, and a small model trains dozens of epochs a
 * second. A change made while hidden is drawn when the chart comes back into view.
 */
export class RedrawGate {
  private visible = false;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = -Infinity;
  /** A draw in progress: the next waits for it, or an older picture could land over a newer one. */
  private drawing: Promise<void> | undefined;
  private observer: IntersectionObserver | undefined;
  private readonly onVisibility = () => this.kick();

  constructor(private readonly draw: () => void | Promise<void>, private readonly interval = 500) {}

  /** Starts watching whether `el` is on screen. */
  attach(el: Element): void {
    this.observer = new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      this.kick();
    });
    this.observer.observe(el);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  detach(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Something changed: draw now if allowed, later otherwise. */
  request(): void {
    this.pending = true;
    this.kick();
  }

  private kick(): void {
    if (!this.pending || this.timer !== undefined || this.drawing || !this.visible || document.hidden) return;
    const wait = Math.max(0, this.last + this.interval - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.visible || document.hidden) return;
      this.pending = false;
      this.last = performance.now();
      this.drawing = Promise.resolve(this.draw()).catch((e: unknown) => console.error('A chart could not be drawn:', e)).finally(() => {
        this.drawing = undefined;
        this.kick();
      });
    }, wait);
  }
}
