/**
 * npm run bench:dsp — median milliseconds to decode a 30 s 22050 Hz 16-bit WAV and to compute all
 * its segment MFCCs with each engine (WebAssembly SIMD, the workers' default, and the float64
 * JavaScript), single-threaded in Node. Reference on the 2-core dev machine: librosa 0.10.2
 * (numpy C FFT) 25 ms for the MFCCs, soundfile 9 ms to decode.
 */
import { decodeAudio } from '../src/dsp/decode';
import { createMfcc, type MfccEngineName } from '../src/dsp/mfcc-engine';
import { segmentMfccs } from '../src/dsp/segments';
import { DEFAULT_SETTINGS } from '../src/dsp/settings';
import { encodeWav, synthClip } from '../tests/fixtures/audio';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(runs: number, fn: () => void): { median: number; min: number } {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return { median: median(t), min: Math.min(...t) };
}

const runs = Number(process.argv[2] ?? 40);
const wav = encodeWav({ samples: synthClip(3, 30, 22050, 1), sampleRate: 22050 });
const samples = decodeAudio(wav).samples;
const decode = time(runs, () => decodeAudio(wav));
console.log(`node ${process.version}, ${runs} runs, 30 s clip, 22050 Hz mono 16-bit, 10 segments × 130 frames × 13 MFCCs`);
console.log(`decode WAV                      median ${decode.median.toFixed(2)} ms   min ${decode.min.toFixed(2)} ms   (soundfile: 9 ms)`);
for (const engine of ['wasm-simd', 'js'] as MfccEngineName[]) {
  const extractor = createMfcc(DEFAULT_SETTINGS, engine);
  // Warm the JIT so the figures are steady-state, as they are in a worker extracting 1000 clips.
  for (let i = 0; i < 10; i++) segmentMfccs(samples, extractor);
  const mfcc = time(runs, () => segmentMfccs(samples, extractor));
  const withSetup = time(Math.max(5, runs / 4), () => segmentMfccs(samples, createMfcc(DEFAULT_SETTINGS, engine)));
  const label = engine.padEnd(9);
  console.log(`segment MFCCs, ${label}        median ${mfcc.median.toFixed(2)} ms   min ${mfcc.min.toFixed(2)} ms   (librosa: 25 ms)`);
  console.log(`  with table setup              median ${withSetup.median.toFixed(2)} ms`);
  console.log(`  decode + MFCCs               ${(decode.median + mfcc.median).toFixed(2)} ms per clip → ${(decode.median + mfcc.median).toFixed(1)} s per 1000 clips on one core`);
}
