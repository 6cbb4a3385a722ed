import type { ModelConfig } from './config';

/** The convolutional networks' first block's filters when a config names none. */
export const DEFAULT_FILTERS = 16;

/** What every network has: the data's shape, the classes, the dropout before the last layer, Adam's rate. */
interface SpecBase {
  frames: number;
  coefficients: number;
  classes: number;
  dropout: number;
  learningRate: number;
}

/** The recipe's LSTM: one LSTM layer per entry (all but the last return sequences), Dense(relu), Dropout, Dense(softmax). */
export interface LstmSpec extends SpecBase {
  kind: 'lstm';
  lstmUnits: readonly number[];
  denseUnits: number;
}

/** The 2-D CNN over time × coefficients: blocks from `filters` filters, doubling. */
export interface Cnn2dSpec extends SpecBase {
  kind: 'cnn2d';
  filters: number;
}

/** The 1-D CNN over time, coefficients as channels: blocks from 2 × `filters` filters, doubling, then Dense(relu). */
export interface Conv1dSpec extends SpecBase {
  kind: 'conv1d';
  filters: number;
  denseUnits: number;
}

/** One network the lab builds, with only the fields its kind has. */
export type ModelSpec = LstmSpec | Cnn2dSpec | Conv1dSpec;
export type CnnSpec = Cnn2dSpec | Conv1dSpec;

/**
 * The spec of a stored config (a form's, a preset's, metadata.json's): `architecture` absent is
 * the recipe's LSTM (models made before there was a choice), 'cnn' the 2-D CNN.
 */
export function specOf(c: ModelConfig): ModelSpec {
  const base = { frames: c.frames, coefficients: c.coefficients, classes: c.classes, dropout: c.dropout, learningRate: c.learningRate };
  const filters = c.filters ?? DEFAULT_FILTERS;
  if (c.architecture === 'cnn') return { kind: 'cnn2d', ...base, filters };
  if (c.architecture === 'conv1d') return { kind: 'conv1d', ...base, filters, denseUnits: c.denseUnits };
  return { kind: 'lstm', ...base, lstmUnits: [...c.lstmUnits], denseUnits: c.denseUnits };
}

/** A spec as given, or a stored config read as one. */
export const asSpec = (m: ModelSpec | ModelConfig): ModelSpec => ('kind' in m ? m : specOf(m));
