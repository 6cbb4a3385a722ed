import { loadAudio } from '../dsp/load';
import { createMfcc, type Mfcc, type MfccEngineName } from '../dsp/mfcc-engine';
import { checkFinite } from '../dsp/errors';
import { DEFAULT_QUALITY, inputNeeded, resample } from '../dsp/resample';
import { segmentMfccs } from '../dsp/segments';
import type { FeatureSettings } from '../dsp/settings';

export interface ClipExtraction {
  /** One frames × nMfcc matrix per kept segment. */
  segments: Float32Array[];
  /** Seconds of audio in the clip. */
  seconds: number;
  encoding: string;
  sampleRate: number;
  channels: number;
  engine: MfccEngineName;
}

/** Holds one MFCC engine per settings, since building the FFT and filterbank tables costs time. */
export class ClipExtractor {
  private extractor: Mfcc;
  constructor(settings: FeatureSettings, engine: MfccEngineName | 'auto' = 'auto') {
    this.extractor = createMfcc(settings, engine);
  }

  get settings(): FeatureSettings {
    return this.extractor.settings;
  }

  /**
   * WAV/AU bytes → segment MFCCs (throws AudioDecodeError for bad input). Unless the whole signal
   * is wanted, only the first `trackSeconds` are decoded and resampled: those are all the recipe's
   * segments use, and a 2-hour file costs what a 30 s one does.
   */
  fromBytes(bytes: Uint8Array, opts: { wholeSignal?: boolean } = {}): ClipExtraction {
    const audio = loadAudio(bytes, this.settings.sampleRate, opts.wholeSignal ? undefined : this.settings.trackSeconds);
    return {
      segments: segmentMfccs(audio.samples, this.extractor, opts),
      seconds: audio.seconds,
      encoding: audio.encoding,
      sampleRate: audio.sampleRate,
      channels: audio.channels,
      engine: this.extractor.engine,
    };
  }

  /** Samples the browser already decoded (mono, any rate) → segment MFCCs. */
  fromSamples(samples: Float32Array, sampleRate: number, encoding: string, opts: { wholeSignal?: boolean } = {}): ClipExtraction {
    checkFinite(samples, sampleRate);
    const target = this.settings.sampleRate;
    const keep = opts.wholeSignal ? Infinity : Math.ceil(this.settings.trackSeconds * target);
    const used = keep === Infinity ? samples : samples.subarray(0, inputNeeded(keep, sampleRate, target));
    const atRate = resample(used, sampleRate, target, DEFAULT_QUALITY, keep);
    return {
      segments: segmentMfccs(atRate, this.extractor, opts),
      seconds: samples.length / sampleRate,
      encoding,
      sampleRate: this.settings.sampleRate,
      channels: 1,
      engine: this.extractor.engine,
    };
  }
}
