import { AudioDecodeError, checkFinite, checkSourceRate, type DecodedAudio, type DecodeOptions } from './errors';
import { BYTES_PER_SAMPLE, readInterleavedMono, type SampleFormat } from './pcm';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0055: 'MPEG layer 3',
};

interface FmtChunk {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
}

function fourcc(view: DataView, pos: number): string {
  return String.fromCharCode(
    view.getUint8(pos), view.getUint8(pos + 1), view.getUint8(pos + 2), view.getUint8(pos + 3),
  );
}

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12
    && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46 // RIFF
    && bytes[8] === 0x57 && bytes[9] === 0x41 && bytes[10] === 0x56 && bytes[11] === 0x45; // WAVE
}

/** Decodes a RIFF/WAVE file: PCM 8/16/24/32-bit, float 32/64-bit, WAVE_FORMAT_EXTENSIBLE. */
export function decodeWav(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedAudio {
  if (!isWav(bytes)) throw new AudioDecodeError('not-audio', 'not a RIFF/WAVE file (no "RIFF…WAVE" header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: FmtChunk | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = fourcc(view, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) {
        throw new AudioDecodeError('bad-header', `the fmt chunk is ${size} bytes, at least 16 are needed`);
      }
      fmt = readFmt(view, body, size);
    } else if (id === 'data') {
      if (!fmt) throw new AudioDecodeError('missing-chunk', 'the data chunk comes before any fmt chunk');
      return decodeData(view, body, size, fmt, opts);
    }
    // Chunks are padded to an even size; skip what we do not need (LIST, fact, cue, …).
    pos = body + size + (size & 1);
  }
  throw new AudioDecodeError('missing-chunk', fmt ? 'no data chunk in the file' : 'no fmt chunk in the file');
}

function readFmt(view: DataView, body: number, size: number): FmtChunk {
  let formatTag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bitsPerSample = view.getUint16(body + 14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40 || body + 40 > view.byteLength) {
      throw new AudioDecodeError('bad-header', 'WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes');
    }
    // The sub-format GUID starts with the real format tag.
    formatTag = view.getUint16(body + 24, true);
  }
  if (channels === 0) throw new AudioDecodeError('bad-header', 'the fmt chunk declares 0 channels');
  checkSourceRate(sampleRate, 'the fmt chunk');
  return { formatTag, channels, sampleRate, bitsPerSample, blockAlign };
}

function sampleFormat(fmt: FmtChunk): SampleFormat {
  const { formatTag, bitsPerSample } = fmt;
  if (formatTag === WAVE_FORMAT_PCM) {
    if (bitsPerSample === 8) return 'u8';
    if (bitsPerSample === 16) return 'i16';
    if (bitsPerSample === 24) return 'i24';
    if (bitsPerSample === 32) return 'i32';
    throw new AudioDecodeError('unsupported-encoding', `unsupported PCM sample size: ${bitsPerSample} bits`);
  }
  if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bitsPerSample === 32) return 'f32';
    if (bitsPerSample === 64) return 'f64';
    throw new AudioDecodeError('unsupported-encoding', `unsupported float sample size: ${bitsPerSample} bits`);
  }
  const name = FORMAT_NAMES[formatTag] ?? 'unknown';
  throw new AudioDecodeError(
    'unsupported-encoding',
    `unsupported WAV encoding: format tag 0x${formatTag.toString(16).padStart(4, '0')} (${name}); only PCM and float are read`,
  );
}

function decodeData(view: DataView, body: number, declared: number, fmt: FmtChunk, opts: DecodeOptions): DecodedAudio {
  const format = sampleFormat(fmt);
  const frameBytes = BYTES_PER_SAMPLE[format] * fmt.channels;
  const available = view.byteLength - body;
  // 0xFFFFFFFF is what streaming writers leave when they never came back to fill in the size.
  const size = declared === 0xffffffff ? available - (available % frameBytes) : declared;
  if (size > available) {
    throw new AudioDecodeError(
      'truncated',
      `truncated data: the header promises ${size} bytes of samples, the file has ${available}`,
    );
  }
  const frames = Math.floor(size / frameBytes);
  const read = Math.min(frames, opts.framesNeeded?.(fmt.sampleRate) ?? frames);
  const samples = readInterleavedMono(view, body, frames === 0 ? 0 : Math.max(1, read), fmt.channels, format, true);
  const kind = format.startsWith('f') ? 'float' : 'PCM';
  if (kind === 'float') checkFinite(samples, fmt.sampleRate);
  return {
    samples,
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    encoding: `WAV ${kind} ${BYTES_PER_SAMPLE[format] * 8}-bit`,
    seconds: frames / fmt.sampleRate,
  };
}
