import { dctOrthoMatrix } from '../dct';
import { bitReversal, hasOddStages, mergedTwiddles, splitTwiddles } from '../fft';
import { sparseMelFilterbank } from '../mel';
import { centeredFrameCount, featureTypeOf, type FeatureSettings } from '../settings';
import { hannPeriodic } from '../window';
import { embeddedModule } from './embedded-module';
import { MFCC_KERNEL_WASM } from '../../generated/mfcc-kernel.wasm';

interface KernelExports {
  memory: WebAssembly.Memory;
  allocate(bytes: number): number;
  configure(...args: number[]): void;
  mfcc(signal: number, n: number, reflect: number, db: number, out: number): number;
  logmel(signal: number, n: number, reflect: number, db: number, out: number): number;
}

/** The kernel, compiled once per thread; null where this engine has no WebAssembly SIMD. */
const kernelModule = embeddedModule(MFCC_KERNEL_WASM);

/** The kernel's split step takes four bins at a time from each end of a half-size spectrum ≥ 8. */
export const MIN_KERNEL_FFT = 16;

export function wasmSimdAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * The MFCC of MfccExtractor (same framing, padding, mel, dB floor and DCT) computed by the
 * WebAssembly SIMD kernel in float32. Tables come from the same src/dsp functions; each extractor
 * owns one kernel instance and its memory.
 */
export class WasmMfccExtractor {
  readonly settings: FeatureSettings;
  readonly engine = 'wasm-simd' as const;
  private readonly kernel: KernelExports;
  private readonly melStride: number;
  private capacity = 0;
  private signalPtr = 0;
  private dbPtr = 0;
  private outPtr = 0;

  constructor(settings: FeatureSettings) {
    const module = kernelModule();
    if (!module) throw new Error('this JavaScript engine has no WebAssembly SIMD');
    if (settings.nFft < MIN_KERNEL_FFT) throw new RangeError(`the SIMD kernel needs n_fft ≥ ${MIN_KERNEL_FFT}, got ${settings.nFft}`);
    this.settings = settings;
    const instance = new WebAssembly.Instance(module, {
      env: { abort: () => { throw new Error('the MFCC kernel aborted'); } },
    });
    this.kernel = instance.exports as unknown as KernelExports;
    this.melStride = (settings.nMels + 3) & ~3;
    this.configure();
  }

  frameCount(n: number): number {
    return centeredFrameCount(n, this.settings.hopLength);
  }

  /** The settings' features (MFCCs or log-mel) of signal[start, end), frames × coefficients. */
  compute(signal: Float32Array, start = 0, end = signal.length): Float32Array {
    return featureTypeOf(this.settings) === 'logmel' ? this.logMel(signal, start, end) : this.run('mfcc', signal, start, end, this.settings.nMfcc);
  }

  /** The log-mel spectrogram of signal[start, end) in dB, frames × nMels (as MfccExtractor.logMel). */
  logMel(signal: Float32Array, start = 0, end = signal.length): Float32Array {
    return this.run('logmel', signal, start, end, this.settings.nMels);
  }

  private run(entry: 'mfcc' | 'logmel', signal: Float32Array, start: number, end: number, perFrame: number): Float32Array {
    const n = end - start;
    const frames = this.frameCount(n);
    this.reserve(n);
    const k = this.kernel;
    new Float32Array(k.memory.buffer, this.signalPtr, n).set(signal.subarray(start, end));
    k[entry](this.signalPtr, n, this.settings.padMode === 'reflect' ? 1 : 0, this.dbPtr, this.outPtr);
    return new Float32Array(k.memory.buffer, this.outPtr, frames * perFrame).slice();
  }

  /** Buffers for a signal of n samples; the stub allocator never frees, so grow by doubling. */
  private reserve(n: number): void {
    if (n <= this.capacity) return;
    const samples = Math.max(n, 2 * this.capacity);
    const frames = this.frameCount(samples);
    this.signalPtr = this.kernel.allocate(4 * samples);
    this.dbPtr = this.kernel.allocate(4 * frames * this.melStride);
    this.outPtr = this.kernel.allocate(4 * frames * Math.max(this.settings.nMfcc, this.settings.nMels));
    this.capacity = samples;
  }

  private configure(): void {
    const { nFft, hopLength, nMels, nMfcc } = this.settings;
    const half = nFft >> 1;
    const stride = this.melStride;
    const filters = sparseMelFilterbank({ sampleRate: this.settings.sampleRate, nFft, nMels });
    const counts = filters.map((f) => (f.weights.length + 3) & ~3);
    const weights = new Float32Array(counts.reduce((a, b) => a + b, 0));
    let at = 0;
    filters.forEach((f, m) => { weights.set(f.weights, at); at += counts[m]; });
    const dense = dctOrthoMatrix(nMfcc, nMels);
    const dct = new Float32Array(nMfcc * stride);
    for (let c = 0; c < nMfcc; c++) dct.set(dense.subarray(c * nMels, (c + 1) * nMels), c * stride);
    const split = splitTwiddles(nFft);
    // The largest padded filter may read up to 3 bins past the spectrum: zeros there.
    const powerLength = half + 1 + 4;
    const mel = new Float32Array(stride).fill(1e-10);

    const tables = [
      Float32Array.from(hannPeriodic(nFft)),
      Int32Array.from(bitReversal(half), (r) => 2 * r),
      planarTwiddles(half, hasOddStages(half) ? 2 : 4),
      Float32Array.from(split.cos), Float32Array.from(split.sin),
      Int32Array.from(filters, (f) => f.start),
      Int32Array.from(counts),
      weights, dct,
      new Float32Array(half), new Float32Array(half), new Float32Array(powerLength), mel, new Float32Array(nFft),
    ];
    const pointers = tables.map((t) => this.kernel.allocate(Math.max(4, t.byteLength)));
    // Views only after every allocation: growing the memory detaches earlier views.
    tables.forEach((t, i) => {
      const View = t instanceof Int32Array ? Int32Array : Float32Array;
      new View(this.kernel.memory.buffer, pointers[i], t.length).set(t);
    });
    this.kernel.configure(nFft, hopLength, nMels, nMfcc, ...pointers);
  }
}

/** mergedTwiddles' (w1r, w1i, w2r, w2i) tuples as four planar runs per pass, for v128 loads. */
function planarTwiddles(half: number, firstH: number): Float32Array {
  const tuples = mergedTwiddles(half, firstH);
  const out = new Float32Array(tuples.length);
  let at = 0;
  for (let h = firstH; h < half; h <<= 2) {
    for (let j = 0; j < h; j++) {
      for (let c = 0; c < 4; c++) out[at + c * h + j] = tuples[at + 4 * j + c];
    }
    at += 4 * h;
  }
  return out;
}
