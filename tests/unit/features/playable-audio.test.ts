import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/dsp/decode';
import { mimeOfExtension, playableCopy, playableFromChannels, wavOfSamples } from '../../../src/features/playable-audio';
import { encodeAu, synthClip } from '../../fixtures/audio';

describe('playable audio for clips the browser cannot play', () => {
  it('a .au clip becomes a 16-bit WAV of the same samples, at its rate', async () => {
    const samples = synthClip(0, 1, 22050, 3);
    const made = await playableCopy(new Blob([new Uint8Array(encodeAu({ samples, sampleRate: 22050 }))]));
    if (!('wav' in made)) throw new Error(made.problem);
    expect(made.note).toMatch(/^the lab's own decoding of this AU .+ file, mono at 22050 Hz$/);
    const back = decodeAudio(new Uint8Array(await made.wav.arrayBuffer()));
    expect(back.sampleRate).toBe(22050);
    expect(back.samples.length).toBe(samples.length);
    let worst = 0;
    samples.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - back.samples[i])); });
    expect(worst).toBeLessThan(1e-3);
  });

  it('says why a file that is not WAV or AU cannot be made playable', async () => {
    expect(await playableCopy(new Blob([new Uint8Array([1, 2, 3, 4, 5])]))).toEqual({ problem: expect.stringMatching(/not a WAV or AU file/) });
  });

  it('mixes the browser decoder\'s channels to one, clipping at full scale', async () => {
    const wav = playableFromChannels([Float32Array.from([1, 0.5]), Float32Array.from([1, -0.5])], 8000);
    expect(Array.from(decodeAudio(new Uint8Array(await wav.arrayBuffer())).samples).map((v) => Math.round(v * 1000) / 1000)).toEqual([1, 0]);
    expect(decodeAudio(wavOfSamples(Float32Array.from([2, -2]), 8000)).samples[1]).toBe(-1);
  });

  it('knows the MIME types to ask the player about', () => {
    expect(mimeOfExtension('AU')).toBe('audio/basic');
    expect(mimeOfExtension('wav')).toBe('audio/wav');
    expect(mimeOfExtension('ogg')).toBeUndefined();
  });
});
