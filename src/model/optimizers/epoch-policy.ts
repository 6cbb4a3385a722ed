/** How the learning rate moves over a run: held, a cosine from the set rate to 0 over the epochs, or halved on a plateau of validation loss. */
export type Schedule = 'constant' | 'cosine' | 'plateau';

export const SCHEDULES: readonly Schedule[] = ['constant', 'cosine', 'plateau'];

/** Epochs without a lower validation loss before the plateau schedule halves the rate. */
export const PLATEAU_EPOCHS = 3;

/**
 * A run stopped because its numbers stopped being numbers (NaN or ±∞): the training loss, the
 * validation loss (features cannot hold NaN, so a non-finite validation loss means the model's
 * numbers overflowed), or the weights themselves (batch normalisation's moving variance of
 * unscaled features overflows while the losses still look sane, and no reader of the lab takes
 * such a model). They do not come back, so training on is time lost; the kept weights are those
 * of `keptEpoch` (0: no epoch was finite).
 */
export interface Divergence {
  epoch: number;
  loss: 'training' | 'validation' | 'weights';
  /** The loss as it came (NaN, Infinity or -Infinity); NaN for weights. */
  value: number;
  keptEpoch: number;
  /** Why those weights: the lowest validation loss, or (no epoch judged on validation) the last epoch with a finite loss. */
  kept: 'lowest validation loss' | 'last finite epoch' | 'none';
}

/** One line for a diverged run: which loss, at which epoch, and which weights are kept. */
export function describeDivergence(d: Divergence, epochs: number): string {
  const value = Number.isNaN(d.value) ? 'NaN' : d.value > 0 ? 'infinite' : '-infinite';
  const what = d.loss === 'weights' ? 'the weights held NaN or infinite values' : `the ${d.loss} loss was ${value}`;
  const kept =
    d.keptEpoch === 0
      ? 'no epoch before it had finite losses and weights, so no weights are kept'
      : `the weights of epoch ${d.keptEpoch} are kept (${d.kept === 'lowest validation loss' ? 'the lowest validation loss' : 'the last epoch with a finite loss'})`;
  return `diverged at epoch ${d.epoch} of ${epochs}: ${what}; ${kept}`;
}

/**
 * What happens between epochs, from validation loss: which epoch is the best so far (the lowest
 * validation loss: smoother than accuracy on a small validation split, where one clip moves
 * accuracy by several points, and what Keras's EarlyStopping watches by default), whether to stop
 * early (`patience` epochs without a better one; 0: never), and the learning rate of the next epoch.
 */
export class EpochPolicy {
  bestEpoch = 0;
  /** Without an epoch judged on validation, the last epoch whose losses were finite: a diverged run keeps it. */
  private lastFinite = 0;
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
   * judged), this mean training loss and weights that are all finite or not: whether it is the best so far, whether its weights are
   * now the ones a diverged run would keep (`keep`: copy them), whether training should stop now,
   * and, when a loss stopped being finite, the divergence (which stops the run).
   */
  observe(epoch: number, valLoss: number | null, trainLoss = 0, finiteWeights = true): { best: boolean; stop: boolean; keep: boolean; diverged?: Divergence } {
    const diverge = (loss: Divergence['loss'], value: number) => {
      const keptEpoch = this.bestEpoch || this.lastFinite;
      const kept = this.bestEpoch ? 'lowest validation loss' as const : this.lastFinite ? 'last finite epoch' as const : 'none' as const;
      return { best: false, stop: true, keep: false, diverged: { epoch, loss, value, keptEpoch, kept } };
    };
    if (!Number.isFinite(trainLoss)) return diverge('training', trainLoss);
    if (valLoss !== null && !Number.isFinite(valLoss)) return diverge('validation', valLoss);
    if (!finiteWeights) return diverge('weights', NaN);
    if (valLoss === null) {
      // Nothing to judge on: until an epoch is, the last finite one is what a divergence keeps.
      const keep = this.bestEpoch === 0;
      if (keep) this.lastFinite = epoch;
      return { best: false, stop: false, keep };
    }
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
    return { best, stop: this.patience > 0 && this.sinceBest >= this.patience, keep: best };
  }
}
