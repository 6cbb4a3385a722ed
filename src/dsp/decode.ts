import { decodeAu, isAu } from './au';
import { AudioDecodeError, type DecodedAudio, type DecodeOptions } from './errors';
import { decodeWav, isWav } from './wav';

/** Decodes WAV or AU by their magic bytes, whatever the file is called. */
export function decodeAudio(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedAudio {
  if (bytes.length === 0) throw new AudioDecodeError('empty', 'the file is empty (0 bytes)');
  if (isWav(bytes)) return decodeWav(bytes, opts);
  if (isAu(bytes)) return decodeAu(bytes, opts);
  if (bytes.length >= 4 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46) {
    throw new AudioDecodeError('not-audio', 'a RIFF file that is not WAVE audio');
  }
  throw new AudioDecodeError('not-audio', 'not a WAV or AU file (unrecognised header)');
}

/** True when the hand-written decoders can read this file; other formats go to the browser's decoder. */
export function canDecodeNatively(bytes: Uint8Array): boolean {
  return isWav(bytes) || isAu(bytes);
}
