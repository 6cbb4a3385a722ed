import { AudioDecodeError, checkFinite, checkSourceRate, type DecodedAudio, type DecodeOptions } from './errors';
import { BYTES_PER_SAMPLE, readInterleavedMono, type SampleFormat } from './pcm';

/** Sun/NeXT encodings that are linear PCM or float; µ-law and A-law are not in GTZAN. */
const AU_ENCODINGS: Record<number, SampleFormat> = { 3: 'i16', 4: 'i24', 5: 'i32', 6: 'f32', 7: 'f64' };
const AU_UNKNOWN_SIZE = 0xffffffff;

export function isAu(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x2e && bytes[1] === 0x73 && bytes[2] === 0x6e && bytes[3] === 0x64; // ".snd"
}

/** Decodes a Sun/NeXT .au file (big-endian), as in the original GTZAN copy. */
export function decodeAu(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedAudio {
  if (!isAu(bytes)) throw new AudioDecodeError('not-audio', 'not a Sun/NeXT AU file (no ".snd" header)');
  if (bytes.length < 24) throw new AudioDecodeError('bad-header', `the AU header needs 24 bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(4, false);
  const declared = view.getUint32(8, false);
  const encoding = view.getUint32(12, false);
  const sampleRate = view.getUint32(16, false);
  const channels = view.getUint32(20, false);
  if (encoding === 2) {
    // 8-bit linear AU is signed, unlike 8-bit WAV; librosa scales it by 1/128 as well.
    return finish(view, dataOffset, declared, channels, sampleRate, 'i8', opts);
  }
  const format = AU_ENCODINGS[encoding];
  if (!format) {
    const name = encoding === 1 ? 'mu-law' : encoding === 27 ? 'A-law' : 'unknown';
    throw new AudioDecodeError('unsupported-encoding', `unsupported AU encoding ${encoding} (${name}); only linear PCM and float are read`);
  }
  return finish(view, dataOffset, declared, channels, sampleRate, format, opts);
}

function finish(
  view: DataView, dataOffset: number, declared: number, channels: number, sampleRate: number,
  format: SampleFormat | 'i8', opts: DecodeOptions,
): DecodedAudio {
  if (channels === 0) throw new AudioDecodeError('bad-header', 'the AU header declares 0 channels');
  checkSourceRate(sampleRate, 'the AU header');
  if (dataOffset < 24 || dataOffset > view.byteLength) {
    throw new AudioDecodeError('bad-header', `the AU data offset ${dataOffset} lies outside the file`);
  }
  const bytesPer = format === 'i8' ? 1 : BYTES_PER_SAMPLE[format];
  const frameBytes = bytesPer * channels;
  const available = view.byteLength - dataOffset;
  const size = declared === AU_UNKNOWN_SIZE ? available - (available % frameBytes) : declared;
  if (size > available) {
    throw new AudioDecodeError('truncated', `truncated data: the header promises ${size} bytes of samples, the file has ${available}`);
  }
  const frames = Math.floor(size / frameBytes);
  const read = Math.max(1, Math.min(frames, opts.framesNeeded?.(sampleRate) ?? frames));
  let samples: Float32Array;
  if (format === 'i8') {
    if (frames === 0) throw new AudioDecodeError('empty', 'the file holds zero samples');
    samples = new Float32Array(read);
    for (let i = 0; i < read; i++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += view.getInt8(dataOffset + i * channels + c) / 128;
      samples[i] = sum / channels;
    }
  } else {
    samples = readInterleavedMono(view, dataOffset, frames === 0 ? 0 : read, channels, format, false);
    if (format.startsWith('f')) checkFinite(samples, sampleRate);
  }
  return { samples, sampleRate, channels, encoding: `AU PCM ${bytesPer * 8}-bit`, seconds: frames / sampleRate };
}
