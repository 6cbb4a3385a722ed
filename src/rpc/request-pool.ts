import type { Endpoint } from './endpoint';

type Job<Req, Res> = { request: Req; transfer: Transferable[]; resolve: (r: Res) => void };

/**
 * A fixed pool of workers fed from one queue, each request answered by one response carrying its
 * `id` (extraction in the page and in npm run extract; one worker's jobs for a training replica).
 * Each worker holds at most `perWorker` jobs, so the next file is already on its way while the
 * current one is computed. A worker that fails answers its own jobs with `failed` (the others
 * carry on); one that is gone takes no more, and once all are gone every request is answered so.
 */
export class RequestPool<Req extends { id: number }, Res extends { id: number }> {
  private readonly inFlight = new Map<Endpoint, Map<number, Job<Req, Res>>>();
  private readonly queue: Job<Req, Res>[] = [];
  private closed = false;
  /** Why the last worker went, once every one has: later requests are answered with it at once. */
  private gone: string | undefined;

  constructor(endpoints: Endpoint[], private readonly failed: (request: Req, message: string) => Res, private readonly perWorker = 2) {
    for (const w of endpoints) {
      this.inFlight.set(w, new Map());
      w.listen((data) => this.settle(w, data as Res), (message, ended) => {
        const jobs = this.inFlight.get(w);
        if (!jobs) return;
        if (ended) this.inFlight.delete(w);
        for (const job of jobs.values()) job.resolve(this.failed(job.request, message));
        jobs.clear();
        if (this.inFlight.size === 0) {
          this.gone = message;
          for (const job of this.queue.splice(0)) job.resolve(this.failed(job.request, message));
        } else this.pump();
      });
    }
  }

  run(request: Req, transfer: Transferable[] = []): Promise<Res> {
    if (this.closed) return Promise.reject(new Error('the worker pool was stopped'));
    if (this.gone !== undefined) return Promise.resolve(this.failed(request, this.gone));
    return new Promise((resolve) => {
      this.queue.push({ request, transfer, resolve });
      this.pump();
    });
  }

  /** Stops every worker at once (settles when Node's threads have stopped); jobs not finished never resolve. */
  terminate(): Promise<void> {
    this.closed = true;
    const ended = [...this.inFlight.keys()].map((w) => w.end());
    this.queue.length = 0;
    this.inFlight.clear();
    return Promise.all(ended).then(() => undefined);
  }

  private settle(w: Endpoint, msg: Res): void {
    const jobs = this.inFlight.get(w);
    const job = jobs?.get(msg.id);
    if (!jobs || !job) return;
    jobs.delete(msg.id);
    job.resolve(msg);
    this.pump();
  }

  private pump(): void {
    for (const [w, jobs] of this.inFlight) {
      while (jobs.size < this.perWorker && this.queue.length > 0) {
        const job = this.queue.shift()!;
        jobs.set(job.request.id, job);
        w.post(job.request, job.transfer);
      }
    }
  }
}
