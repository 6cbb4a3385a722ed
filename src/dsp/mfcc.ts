import { dctOrthoMatrix } from './dct';
import { RealFft } from './fft';
import { sparseMelFilterbank, type SparseFilter } from './mel';
import { centeredFrameCount, featureTypeOf, type FeatureSettings } from './settings';
import { hannPeriodic } from './window';

const AMIN = 1e-10;
const TOP_DB = 80;

/**
 * librosa.feature.mfcc(y, sr, n_mfcc, n_fft, hop_length) with center=True framing, periodic Hann,
 * |STFT|², Slaney mel, power_to_db(ref=1, amin=1e-10, top_db=80 over the whole input) and
 * orthonormal DCT-II. Everything reusable is built once here; one extractor serves many clips.
 * Arithmetic is float64 (librosa also windows and FFTs in float64), results are float32.
 */
export class MfccExtractor {
  readonly settings: FeatureSettings;
  readonly engine = 'js' as const;
  private readonly fft: RealFft;
  // Plain number arrays, not typed arrays: V8 (Node 20) runs these hot loops ~1.5× faster on
  // packed double arrays, measured with npm run bench:dsp.
  private readonly window: number[];
  private readonly filterStart: number[];
  private readonly filterWeights: number[][];
  private readonly dct: number[];
  private readonly frame: number[];
  private readonly power: number[];
  private readonly mel: number[];

  constructor(settings: FeatureSettings) {
    this.settings = settings;
    this.fft = new RealFft(settings.nFft);
    this.window = Array.from(hannPeriodic(settings.nFft));
    const filters: SparseFilter[] = sparseMelFilterbank({ sampleRate: settings.sampleRate, nFft: settings.nFft, nMels: settings.nMels });
    this.filterStart = filters.map((f) => f.start);
    this.filterWeights = filters.map((f) => Array.from(f.weights));
    this.dct = Array.from(dctOrthoMatrix(settings.nMfcc, settings.nMels));
    this.frame = new Array<number>(settings.nFft).fill(0.5);
    this.power = new Array<number>((settings.nFft >> 1) + 1).fill(0.5);
    this.mel = new Array<number>(settings.nMels).fill(0.5);
  }

  /** Frames that center=True framing gives for `n` samples. */
  frameCount(n: number): number {
    return centeredFrameCount(n, this.settings.hopLength);
  }

  /**
   * The log-mel spectrogram of signal[start, end) that the MFCCs are the DCT of: a row-major
   * frames × nMels matrix in dB, floored 80 dB below its maximum (librosa's power_to_db).
   */
  logMel(signal: Float32Array, start = 0, end = signal.length): Float32Array {
    return Float32Array.from(this.flooredDb(signal, start, end));
  }

  /** The settings' features (MFCCs or log-mel) of signal[start, end), frames × coefficients. */
  compute(signal: Float32Array, start = 0, end = signal.length): Float32Array {
    return featureTypeOf(this.settings) === 'logmel' ? this.logMel(signal, start, end) : this.mfcc(signal, start, end);
  }

  /** MFCCs of signal[start, end) as a row-major frames × nMfcc matrix. */
  mfcc(signal: Float32Array, start = 0, end = signal.length): Float32Array {
    const { nMels, nMfcc } = this.settings;
    const nFrames = this.frameCount(end - start);
    const db = this.flooredDb(signal, start, end);
    const out = new Float32Array(nFrames * nMfcc);
    const dct = this.dct;
    for (let t = 0; t < nFrames; t++) {
      const row = t * nMels;
      for (let k = 0; k < nMfcc; k++) {
        let acc = 0;
        const base = k * nMels;
        for (let m = 0; m < nMels; m++) acc += dct[base + m] * db[row + m];
        out[t * nMfcc + k] = acc;
      }
    }
    return out;
  }

  /** dB mel energies, frames × nMels in float64, with the top_db floor applied. */
  private flooredDb(signal: Float32Array, start: number, end: number): number[] {
    const { nMels } = this.settings;
    const nFrames = this.frameCount(end - start);
    const db = new Array<number>(nFrames * nMels).fill(0.5);
    let maxDb = -Infinity;
    const mel = this.mel;
    for (let t = 0; t < nFrames; t++) {
      this.powerFrame(signal, start, end, t, this.power);
      this.melFromPower(this.power, mel);
      const row = t * nMels;
      for (let m = 0; m < nMels; m++) {
        const v = 10 * Math.log10(mel[m] > AMIN ? mel[m] : AMIN);
        db[row + m] = v;
        if (v > maxDb) maxDb = v;
      }
    }
    const floor = maxDb - TOP_DB;
    for (let i = 0; i < db.length; i++) if (db[i] < floor) db[i] = floor;
    return db;
  }

  /** |STFT|² of frame t of signal[start, end), centred on sample start + t·hop. */
  powerFrame(signal: Float32Array, start: number, end: number, t: number, out: Float64Array | number[]): void {
    const { nFft, hopLength, padMode } = this.settings;
    const n = end - start;
    const first = t * hopLength - (nFft >> 1);
    const frame = this.frame;
    const w = this.window;
    if (first >= 0 && first + nFft <= n) {
      this.fft.powerWindowed(signal, start + first, w, out);
      return;
    }
    // Edge frames reach past the signal: build them with the padding, then transform.
    for (let i = 0; i < nFft; i++) {
      const j = padMode === 'reflect' ? reflectIndex(first + i, n) : first + i;
      frame[i] = j >= 0 && j < n ? w[i] * signal[start + j] : 0;
    }
    this.fft.power(frame, out);
  }

  /** Mel energies of one power spectrum. */
  melFromPower(power: Float64Array | number[], out: Float64Array | number[]): void {
    const starts = this.filterStart;
    const allWeights = this.filterWeights;
    for (let m = 0; m < starts.length; m++) {
      const start = starts[m];
      const weights = allWeights[m];
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += weights[k] * power[start + k];
      out[m] = acc;
    }
  }
}

/** numpy.pad(mode='reflect') index: mirror about the edges without repeating them. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}
