/** How the learning rate moves over a run: held, a cosine from the set rate to 0 over the epochs, or halved on a plateau of validation loss. */
export type Schedule = 'constant' | 'cosine' | 'plateau';

export const SCHEDULES: readonly Schedule[] = ['constant', 'cosine', 'plateau'];

/** Epochs without a lower validation loss before the plateau schedule halves the rate. */
export const PLATEAU_EPOCHS = 3;

/**
 * What happens between epochs, from validation loss: which epoch is the best so far (the lowest
 * validation loss: smoother than accuracy on a small validation split, where one clip moves
 * accuracy by several points, and what Keras's EarlyStopping watches by default), whether to stop
 * early (`patience` epochs without a better one; 0: never), and the learning rate of the next epoch.
 */
export class EpochPolicy {
  bestEpoch = 0;
  private bestLoss = Infinity;
  private sinceBest = 0;
  private sincePlateauCut = 0;
  private rate: number;

  constructor(private readonly baseRate: number, private readonly schedule: Schedule, private readonly epochs: number, private readonly patience: number) {
    this.rate = baseRate;
  }

  /** The learning rate of epoch `epoch` (1-based). */
  rateFor(epoch: number): number {
    if (this.schedule === 'cosine') return this.baseRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / Math.max(1, this.epochs)));
    return this.rate;
  }

  /**
   * Epoch `epoch` ended with this validation loss (null: no validation split, so nothing is
   * judged): whether it is the best so far, and whether training should stop now.
   */
  observe(epoch: number, valLoss: number | null): { best: boolean; stop: boolean } {
    if (valLoss === null || !Number.isFinite(valLoss)) return { best: false, stop: false };
    const best = valLoss < this.bestLoss;
    if (best) {
      this.bestLoss = valLoss;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      this.sincePlateauCut = 0;
    } else {
      this.sinceBest++;
      this.sincePlateauCut++;
      if (this.schedule === 'plateau' && this.sincePlateauCut >= PLATEAU_EPOCHS) {
        this.rate /= 2;
        this.sincePlateauCut = 0;
      }
    }
    return { best, stop: this.patience > 0 && this.sinceBest >= this.patience };
  }
}
