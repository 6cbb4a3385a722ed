/** Names of the fused LSTM step kernels registered per backend. */
export const LSTM_FORWARD = 'GtzanLstmStepForward';
export const LSTM_BACKWARD = 'GtzanLstmStepBackward';

/** WebGL only: a copy in the packed texture layout the step programs read. */
export const PACKED = 'GtzanPacked';
/** WebGL only: the four step programs of webgl-lstm.ts (see kernels-webgl.ts). */
export const GL_GATES = 'GtzanGlLstmGates';
export const GL_CELL = 'GtzanGlLstmCell';
export const GL_DH = 'GtzanGlLstmDh';
export const GL_DZ = 'GtzanGlLstmDz';
/** WebGL only: per-step [B, ·] tensors as one [B, T, ·] sequence (16 steps a call), and joins. */
export const GL_STACK_STEPS = 'GtzanGlStackSteps';
export const GL_CONCAT_STEPS = 'GtzanGlConcatSteps';

/** Attributes both kernels take: the step, and the batch/steps/units of the layer. */
export interface StepAttrs {
  t: number;
  /** Backward only: which step of dy belongs to t, or −1 when the output is not read at t. */
  tOut?: number;
  [key: string]: number | undefined;
}
