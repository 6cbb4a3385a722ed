import type { ModelFiles } from '../files/artifacts';
import type { ModelMetadata } from '../files/metadata';
import type { BatchReport, EpochReport } from './session';

/** What the reporter sends: the latest batch, the epochs since the last message, and a checkpoint when one is due. */
export interface Progress {
  batch?: BatchReport;
  epochs: EpochReport[];
  checkpoint?: { files: ModelFiles; metadata: ModelMetadata };
}

/**
 * Rate-limits what a training worker tells the page: at most one message every `intervalMs`
 * (the latest batch, every epoch since the last message) and a checkpoint of the model at most
 * every `checkpointMs` (and after the first epoch). A small model on a fast backend trains
 * hundreds of epochs a second; a message, a chart update and a checkpoint for each once kept the
 * page's main thread so busy that it stopped answering. Nothing is dropped but intermediate
 * batch reports: every epoch arrives, and a reload loses at most `checkpointMs` of training.
 */
export class ProgressReporter {
  private batch: BatchReport | undefined;
  private epochs: EpochReport[] = [];
  private lastPost = -Infinity;
  private lastCheckpoint = -Infinity;

  constructor(
    private readonly post: (p: Progress) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 100,
    private readonly checkpointMs = 1000,
  ) {}

  onBatch(report: BatchReport): void {
    this.batch = report;
    if (this.now() - this.lastPost >= this.intervalMs) this.flush();
  }

  /** An epoch ended; `checkpoint` makes the model's files, called only when a checkpoint is due. */
  async onEpoch(report: EpochReport, checkpoint: () => Promise<{ files: ModelFiles; metadata: ModelMetadata }>): Promise<void> {
    this.epochs.push(report);
    if (this.now() - this.lastCheckpoint >= this.checkpointMs) {
      const files = await checkpoint();
      this.lastCheckpoint = this.now();
      this.flush(files);
    } else if (this.now() - this.lastPost >= this.intervalMs) {
      this.flush();
    }
  }

  /** Sends what is pending now (before the run's last message). */
  flush(checkpoint?: Progress['checkpoint']): void {
    if (!this.batch && this.epochs.length === 0 && !checkpoint) return;
    this.post({ batch: this.batch, epochs: this.epochs, checkpoint });
    this.batch = undefined;
    this.epochs = [];
    this.lastPost = this.now();
  }
}
