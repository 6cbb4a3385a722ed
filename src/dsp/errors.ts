/** Why a file could not be turned into samples. Stable codes let the UI and CLI group failures. */
export type AudioErrorCode =
  | 'not-audio'
  | 'unsupported-encoding'
  | 'missing-chunk'
  | 'truncated'
  | 'empty'
  | 'bad-header';

/** A typed decoding failure; `message` is written for a person and names the reason. */
export class AudioDecodeError extends Error {
  readonly code: AudioErrorCode;
  constructor(code: AudioErrorCode, message: string) {
    super(message);
    this.name = 'AudioDecodeError';
    this.code = code;
  }
}

/** Decoded audio: mono samples in [-1, 1] (mean of channels, as librosa) at `sampleRate`. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the file before the mono mix-down. */
  channels: number;
  /** A short description of the source encoding, e.g. "WAV PCM 16-bit". */
  encoding: string;
}
