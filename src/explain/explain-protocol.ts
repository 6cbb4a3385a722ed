import type { BackendChoice } from '../model/backend/backend';
import type { ModelFiles } from '../saving/artifacts';
import type { ModelMetadata } from '../saving/metadata';
import type { DeletionResult } from './deletion-check';
import type { OcclusionMap } from './occlusion';

export interface ModelOnWire {
  files: ModelFiles;
  metadata: ModelMetadata;
  backend: BackendChoice;
}

export type ExplainRequest =
  /** Occlusion maps of a clip's segments (as extracted, not yet standardised). */
  | ({ type: 'explain'; segments: Float32Array[]; patchFrames?: number; patchBands?: number } & ModelOnWire)
  /** The deletion check on labelled segments (labels index metadata.genres). */
  | ({ type: 'deletion-check'; segments: Float32Array[]; labels: number[]; fraction?: number } & ModelOnWire)
  /** Live classification: the worker keeps the model and turns audio at `sampleRate` into segments as it comes. */
  | ({ type: 'listen'; sampleRate: number } & ModelOnWire)
  | { type: 'audio'; samples: Float32Array }
  | { type: 'stop' };

export type ExplainEvent =
  | { type: 'ready'; backend: string }
  | { type: 'progress'; done: number; total: number }
  | { type: 'explained'; map: OcclusionMap; seconds: number }
  | { type: 'deletion-checked'; result: DeletionResult }
  /** One live segment classified: its index from the start of listening and the genres' probabilities. */
  | { type: 'live'; index: number; probabilities: number[]; engine: string }
  | { type: 'error'; message: string };

/**
 * Sends one job to a fresh explain worker and resolves with its first event of `type`, reporting
 * progress; aborting `signal` ends the worker (the page's is ui/shared/explainer-client.ts).
 */
export type AskExplainer = <T extends ExplainEvent['type']>(
  req: ExplainRequest, type: T, signal: AbortSignal, onProgress?: (done: number, total: number) => void,
) => Promise<Extract<ExplainEvent, { type: T }>>;
