/**
 * Live audio → the model's segments: samples arrive in small blocks at the device's rate; each
 * time a whole segment has arrived it is resampled to the model's rate and turned into features
 * by the same engine (createMfcc: the WebAssembly SIMD kernel where it runs) and the same cut as
 * a file's segments, so segment i is what a file of the same audio gives as its segment i.
 */
import { createMfcc, type Mfcc } from '../dsp/mfcc-engine';
import { inputNeeded, resample } from '../dsp/resample';
import { samplesPerSegment, type FeatureSettings } from '../dsp/settings';
import { segmentMfccs } from '../dsp/segments';

export class LiveSegmenter {
  private readonly mfcc: Mfcc;
  private readonly outPerSegment: number;
  /** Input samples one segment spans (not a whole number when the rates differ). */
  private readonly inPerSegment: number;
  /** Input samples the resampler needs for one segment's outputs, its filter's tail included. */
  private readonly inNeeded: number;
  private buffer: Float32Array;
  private length = 0;
  /** Where the next segment starts in `buffer`, with the fraction carried so segments do not drift. */
  private start = 0;

  constructor(private readonly settings: FeatureSettings, private readonly inputRate: number) {
    this.mfcc = createMfcc(settings);
    this.outPerSegment = samplesPerSegment(settings);
    this.inPerSegment = (this.outPerSegment * inputRate) / settings.sampleRate;
    this.inNeeded = inputNeeded(this.outPerSegment, inputRate, settings.sampleRate);
    this.buffer = new Float32Array(2 * this.inNeeded);
  }

  get engine(): string {
    return this.mfcc.engine;
  }

  /** Adds samples; gives the features of every segment they complete, in order. */
  push(samples: Float32Array): Float32Array[] {
    if (this.length + samples.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(2 * this.buffer.length, this.length + samples.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.length);
    this.length += samples.length;
    const out: Float32Array[] = [];
    while (this.length - Math.floor(this.start) >= this.inNeeded) {
      const from = Math.floor(this.start);
      const chunk = this.buffer.subarray(from, from + this.inNeeded);
      const signal = resample(chunk, this.inputRate, this.settings.sampleRate, undefined, this.outPerSegment);
      out.push(...segmentMfccs(signal, this.mfcc, { wholeSignal: true }));
      this.start += this.inPerSegment;
    }
    // Drop what no later segment needs, keeping the fractional start.
    const keep = Math.floor(this.start);
    if (keep > 0) {
      this.buffer.copyWithin(0, keep, this.length);
      this.length -= keep;
      this.start -= keep;
    }
    return out;
  }
}
