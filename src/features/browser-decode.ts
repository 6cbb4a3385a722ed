/**
 * Formats src/dsp does not read (mp3, ogg, flac, m4a, …) go through the browser's own decoder.
 * Decoding happens off the main thread inside the browser; the channels then go to a worker.
 */
export interface BrowserDecoded {
  channels: Float32Array[];
  sampleRate: number;
  encoding: string;
}

export async function decodeWithBrowser(file: Blob, extension: string): Promise<BrowserDecoded> {
  const Ctx = globalThis.OfflineAudioContext;
  if (!Ctx) throw new Error(`this browser has no audio decoder for .${extension} files`);
  // decodeAudioData resamples to the context's rate; 44.1 kHz is one every browser supports.
  // The worker then brings it to the feature rate with the lab's own resampler.
  const ctx = new Ctx(1, 1, 44100);
  try {
    const buffer = await ctx.decodeAudioData(await file.arrayBuffer());
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
    return { channels, sampleRate: buffer.sampleRate, encoding: `${extension.toUpperCase()} (browser decoder)` };
  } catch (e) {
    throw new Error(`the browser could not decode this .${extension} file${e instanceof Error && e.message ? ` (${e.message})` : ''}`);
  }
}
