/** Names of the fused LSTM step kernels registered per backend. */
export const LSTM_FORWARD = 'GtzanLstmStepForward';
export const LSTM_BACKWARD = 'GtzanLstmStepBackward';
/** WebGL only: a copy in the unpacked texture layout the step kernels read. */
export const UNPACKED = 'GtzanUnpacked';

/** Attributes both kernels take: the step, and the batch/steps/units of the layer. */
export interface StepAttrs {
  t: number;
  /** Backward only: which step of dy belongs to t, or −1 when the output is not read at t. */
  tOut?: number;
  [key: string]: number | undefined;
}
