import { validateAugment, type AugmentConfig } from '../data/augment';
import { SCHEDULES, type Schedule } from '../optimizers/epoch-policy';

/**
 * The architectures the lab builds: the recipe's LSTM; a 2-D CNN over the segment's time ×
 * coefficient matrix (the field's usual baseline); a 1-D CNN over time, coefficients as channels.
 */
export const ARCHITECTURES = ['lstm', 'cnn', 'conv1d'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** The reference recipe's model, every size a setting. */
export interface ModelConfig {
  frames: number;
  coefficients: number;
  classes: number;
  /** Which network; absent means the recipe's LSTM (metadata.json's migration writes it in). */
  architecture?: Architecture;
  /** The convolutional networks' first block's filters, doubled in each block after it. */
  filters?: number;
  /** One LSTM layer per entry; all but the last return sequences. */
  lstmUnits: number[];
  denseUnits: number;
  dropout: number;
  learningRate: number;
}

/** A model's settings without the data's shape: what a form, a preset, a tuning trial and metadata.json hold. */
export type ModelSettings = Omit<ModelConfig, 'frames' | 'coefficients' | 'classes'>;

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  /** Seeds everything random in a run: the split, the starting weights, the order of batches, dropout, augmentation. */
  seed: number;
  /** Standardise each coefficient with the training split's mean and deviation. */
  standardize: boolean;
  /** Masks and time shift for training batches; absent or all 0: none. */
  augment?: AugmentConfig;
  /**
   * Stop after this many epochs without a lower validation loss and keep the weights of the
   * epoch with the lowest (training/epoch-policy.ts); absent or 0: every epoch, the last weights.
   */
  earlyStopping?: number;
  /** The learning rate over the epochs; absent: constant (the recipe's). */
  schedule?: Schedule;
}

export const REFERENCE_MODEL: ModelSettings = {
  lstmUnits: [64, 64],
  denseUnits: 64,
  dropout: 0.3,
  learningRate: 1e-4,
};

/** Seeds are 32-bit: every generator and hash of a run takes its seed modulo 2³², so larger ones would repeat smaller ones. */
export const MAX_SEED = 4294967295;

export const DEFAULT_TRAIN: TrainConfig = { epochs: 30, batchSize: 32, seed: 42, standardize: false };

/** Names the first setting that is out of range, or undefined. */
export function validateConfig(m: ModelConfig, t: TrainConfig): string | undefined {
  if (m.architecture !== undefined && !ARCHITECTURES.includes(m.architecture)) return `Model must be one of ${ARCHITECTURES.join(', ')}`;
  if (m.filters !== undefined && (!Number.isInteger(m.filters) || m.filters < 1 || m.filters > 256)) return 'Filters must be a whole number from 1 to 256';
  if (m.lstmUnits.length === 0 || m.lstmUnits.some((u) => !Number.isInteger(u) || u < 1 || u > 2048)) return 'LSTM units must be whole numbers from 1 to 2048';
  if (!Number.isInteger(m.denseUnits) || m.denseUnits < 1 || m.denseUnits > 4096) return 'Dense units must be a whole number from 1 to 4096';
  if (!(m.dropout >= 0 && m.dropout < 1)) return 'Dropout must be at least 0 and below 1';
  if (!(m.learningRate > 0 && m.learningRate <= 1)) return 'Learning rate must be above 0 and at most 1';
  if (!Number.isInteger(t.epochs) || t.epochs < 1 || t.epochs > 10000) return 'Epochs must be a whole number from 1 to 10000';
  if (!Number.isInteger(t.batchSize) || t.batchSize < 1 || t.batchSize > 4096) return 'Batch size must be a whole number from 1 to 4096';
  if (!Number.isInteger(t.seed) || t.seed < 0 || t.seed > MAX_SEED) return `Seed must be a whole number from 0 to ${MAX_SEED}`;
  if (t.earlyStopping !== undefined && (!Number.isInteger(t.earlyStopping) || t.earlyStopping < 0 || t.earlyStopping > 1000))
    return 'Early stopping patience must be a whole number from 0 (off) to 1000';
  if (t.schedule !== undefined && !SCHEDULES.includes(t.schedule)) return `The learning-rate schedule must be one of ${SCHEDULES.join(', ')}`;
  if (t.augment) return validateAugment(t.augment);
  return undefined;
}
