/** Why a file could not be turned into samples. Stable codes let the UI and CLI group failures. */
export type AudioErrorCode =
  | 'not-audio'
  | 'unsupported-encoding'
  | 'missing-chunk'
  | 'truncated'
  | 'empty'
  | 'bad-header'
  | 'bad-samples';

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
  /** The whole file's length; `samples` may hold only its beginning (see DecodeOptions). */
  seconds: number;
}

export interface DecodeOptions {
  /**
   * How many frames are needed at the file's own rate, when not all are: a 2-hour file whose
   * first 30 s are used is decoded for 30 s, not 2 hours. Undefined decodes everything.
   */
  framesNeeded?: (sampleRate: number) => number;
}

/** The rates a file may declare: below or above these it is a broken (or hostile) header. */
export const SOURCE_RATES = { min: 1000, max: 768000 };

export function checkSourceRate(sampleRate: number, where: string): void {
  if (sampleRate === 0) throw new AudioDecodeError('bad-header', `${where} declares a sample rate of 0 Hz`);
  if (sampleRate < SOURCE_RATES.min || sampleRate > SOURCE_RATES.max) {
    throw new AudioDecodeError(
      'bad-header',
      `${where} declares a sample rate of ${sampleRate} Hz; audio is read at ${SOURCE_RATES.min} to ${SOURCE_RATES.max} Hz`,
    );
  }
}

/** Refuses NaN or infinite samples (a float file can hold them), naming where the first one is. */
export function checkFinite(samples: Float32Array, sampleRate: number): void {
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) {
      throw new AudioDecodeError(
        'bad-samples',
        `the file holds ${Number.isNaN(samples[i]) ? 'a NaN' : 'an infinite'} sample (the first at ${(i / sampleRate).toFixed(3)} s): its audio cannot be used`,
      );
    }
  }
}
