import type { ModelFiles } from '../../saving/artifacts';
import type { ModelMetadata } from '../../saving/metadata';
import type { BatchReport, EpochReport } from './session';

/** What the reporter sends: the latest batch, the epochs since the last message, and a checkpoint of the last of them. */
export interface Progress {
  batch?: BatchReport;
  epochs: EpochReport[];
  checkpoint?: { files: ModelFiles; metadata: ModelMetadata };
}

/**
 * Rate-limits what a training worker tells the page: about one message every `intervalMs`. A small model on a fast backend trains hundreds of epochs a second; a message, a chart update
 * and a checkpoint for each once kept the page's main thread so busy that it stopped answering.
 *
 * Epochs travel only with a checkpoint of the model after the last of them, made at that epoch's
 * end: the page holds the model of every epoch it shows, whichever path trains, so a reload loses
 * at most the epochs not yet shown (under `intervalMs` of training) and the page's write in
 * flight. A message between epochs carries the latest batch alone. Nothing is dropped but
 * intermediate batch reports and the checkpoints of epochs that ended less than `intervalMs`
 * after the last message: every epoch arrives.
 */
export class ProgressReporter {
  private batch: BatchReport | undefined;
  private epochs: EpochReport[] = [];
  private lastPost = -Infinity;
  private lastEpochPost = -Infinity;

  constructor(
    private readonly post: (p: Progress) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 100,
  ) {}

  onBatch(report: BatchReport): void {
    this.batch = report;
    const now = this.now();
    if (now - this.lastPost < this.intervalMs) return;
    // In a run of short epochs the next epoch's end is near and will carry this batch: no second message.
    const sinceEpochs = now - this.lastEpochPost;
    if (sinceEpochs >= this.intervalMs && sinceEpochs < 2 * this.intervalMs) return;
    this.post({ batch: report, epochs: [] });
    this.batch = undefined;
    this.lastPost = now;
  }

  /** An epoch ended; `checkpoint` makes the model's files, called only when this epoch is sent. */
  async onEpoch(report: EpochReport, checkpoint: () => Promise<{ files: ModelFiles; metadata: ModelMetadata }>): Promise<void> {
    this.epochs.push(report);
    if (this.now() - this.lastEpochPost < this.intervalMs) return;
    this.flush(await checkpoint());
  }

  /** Sends what is pending now (before the run's last message). */
  flush(checkpoint?: Progress['checkpoint']): void {
    if (!this.batch && this.epochs.length === 0 && !checkpoint) return;
    this.post({ batch: this.batch, epochs: this.epochs, checkpoint });
    this.batch = undefined;
    if (this.epochs.length) this.lastEpochPost = this.now();
    this.epochs = [];
    this.lastPost = this.now();
  }
}
