import { MfccExtractor } from './mfcc';
import type { FeatureSettings } from './settings';
import { MIN_KERNEL_FFT, WasmMfccExtractor, wasmSimdAvailable } from './wasm/wasm-mfcc';

/** Which implementation computed the MFCCs: the WebAssembly SIMD kernel or the float64 JavaScript. */
export type MfccEngineName = 'wasm-simd' | 'js';

/**
 * What segment cutting needs from a feature implementation (MFCCs or log-mel, as the settings
 * say); both engines give librosa's numbers.
 */
export interface Mfcc {
  readonly settings: FeatureSettings;
  readonly engine: MfccEngineName;
  /** Frames that center=True framing gives for `n` samples. */
  frameCount(n: number): number;
  /** The settings' features of signal[start, end): frames × nMfcc MFCCs or frames × nMels log-mel dB. */
  compute(signal: Float32Array, start?: number, end?: number): Float32Array;
  /** The log-mel spectrogram (dB, floored) of signal[start, end), frames × nMels. */
  logMel(signal: Float32Array, start?: number, end?: number): Float32Array;
}

export const ENGINE_LABEL: Record<MfccEngineName, string> = {
  'wasm-simd': 'WebAssembly SIMD',
  js: 'JavaScript (WebAssembly SIMD is not available here)',
};

/**
 * The fastest engine this JavaScript engine runs: the SIMD kernel (about 5× the JavaScript on one
 * core, measured with npm run bench:dsp) wherever WebAssembly SIMD validates and the FFT is big
 * enough for its four lanes, else the JavaScript.
 */
export function createMfcc(settings: FeatureSettings, choice: MfccEngineName | 'auto' = 'auto'): Mfcc {
  const wasm = choice === 'wasm-simd' || (choice === 'auto' && wasmSimdAvailable() && settings.nFft >= MIN_KERNEL_FFT);
  return wasm ? new WasmMfccExtractor(settings) : new MfccExtractor(settings);
}
