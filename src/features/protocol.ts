import type { MfccEngineName } from '../dsp/mfcc-engine';
import type { FeatureSettings } from '../dsp/settings';
import type { ClipInspection } from './inspect-clip';

/** Messages from the page to an extraction worker. */
export type WorkerRequest =
  /**
   * WAV or AU bytes, read by the page: a worker busy with MFCCs cannot pump its own file reads, so
   * reading there left it idle between clips (measured: reads never overlapped the arithmetic).
   */
  | { kind: 'encoded'; id: number; bytes: ArrayBuffer; settings: FeatureSettings; wholeSignal?: boolean }
  /**
   * A clip for the inspector: its waveform's outline and each segment's log-mel and MFCC. WAV/AU
   * come as bytes, other formats as the channels the browser decoded.
   */
  | {
      kind: 'inspect';
      id: number;
      audio: { bytes: ArrayBuffer } | { channels: Float32Array[]; sampleRate: number; encoding?: string };
      settings: FeatureSettings;
    }
  /** A file's bytes to hash (GTZAN's dataset check, after extraction). */
  | { kind: 'md5'; id: number; bytes: ArrayBuffer }
  /** Audio the browser already decoded: one array per channel, mixed and resampled in the worker. */
  | {
      kind: 'samples';
      id: number;
      channels: Float32Array[];
      sampleRate: number;
      encoding: string;
      settings: FeatureSettings;
      wholeSignal?: boolean;
    }
  /** Features already extracted: a data.json (read in pieces) or an .npz of NumPy arrays. */
  | { kind: 'data-json'; id: number; file: Blob; format?: 'json' | 'npz' }
  /** A model zip, inflated here rather than on the page's thread (only its three files, size-checked). */
  | { kind: 'model-zip'; id: number; file: Blob };

export interface ClipResult {
  kind: 'clip';
  id: number;
  ok: true;
  /** Each segment frames × nMfcc, row-major; their buffers are transferred. */
  segments: Float32Array[];
  seconds: number;
  encoding: string;
  engine: MfccEngineName;
}

export interface InspectResult extends ClipInspection {
  kind: 'inspect';
  id: number;
  ok: true;
}

export interface Md5Result {
  kind: 'md5';
  id: number;
  ok: true;
  md5: string;
}

export interface DataJsonResult {
  kind: 'data-json';
  id: number;
  ok: true;
  genres: string[];
  settings: FeatureSettings;
  frames: number;
  coefficients: number;
  clips: { path: string; genre: string; segments: Float32Array[] }[];
}

export interface ModelZipResult {
  kind: 'model-zip';
  id: number;
  ok: true;
  modelJson: unknown;
  weights: ArrayBuffer;
  metadata: unknown;
}

export interface FailedResult {
  kind: 'clip' | 'data-json' | 'model-zip' | 'md5' | 'inspect';
  id: number;
  ok: false;
  error: string;
}

export type WorkerResponse = ClipResult | DataJsonResult | ModelZipResult | Md5Result | InspectResult | FailedResult;

/** A request a worker could not answer (the file was bad, or the worker failed), as the failed response of its kind. */
export function failedResponse(req: WorkerRequest, error: string): WorkerResponse {
  return { kind: req.kind === 'encoded' || req.kind === 'samples' ? 'clip' : req.kind, id: req.id, ok: false, error };
}
