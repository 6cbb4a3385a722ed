import { samplesPerSegment } from '../../dsp/settings';
import type { ModelFiles } from '../../saving/artifacts';
import type { ModelMetadata } from '../../saving/metadata';
import { ExplainerClient } from '../shared/explainer-client';

/**
 * Live classification, as a plain store the Classify panel observes: the microphone's audio goes
 * block by block to a worker that resamples it, computes the model's features and classifies
 * each whole segment. Nothing is kept but each segment's probabilities; nothing leaves the page.
 */
/** Where live audio comes from: the microphone, or a browser tab's sound (screen capture with audio). */
export type LiveSource = 'microphone' | 'tab';

/** Whether this browser can capture a tab's sound at all (getDisplayMedia); whether a tab is shared with its audio shows only once asked. */
export function tabAudioOffered(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

/** The music as it is: the browser's voice processing would change what the model hears. */
const AS_IS = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };

/**
 * The stream to listen to. A tab comes through screen capture: Chromium offers the tab's sound
 * only with video asked too, and only if the person leaves "Share tab audio" on; without an
 * audio track there is nothing to classify, and the capture is ended at once.
 */
async function captureStream(source: LiveSource): Promise<MediaStream> {
  if (source === 'microphone') return navigator.mediaDevices.getUserMedia({ audio: AS_IS });
  if (!tabAudioOffered()) throw new Error('This browser cannot capture a tab\'s sound (it has no getDisplayMedia): listen with the microphone instead.');
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: AS_IS });
  if (stream.getAudioTracks().length === 0) {
    stream.getTracks().forEach((t) => { t.stop(); });
    throw new Error(
      'The shared tab or screen came without its sound: share a browser tab with "Share tab audio" on (Chromium offers sound for tabs; other browsers may offer none).',
    );
  }
  return stream;
}

export class LiveListener {
  state: 'idle' | 'starting' | 'listening' = 'idle';
  /** What the run in progress (or the last one) listened to. */
  source: LiveSource = 'microphone';
  /** Each live segment's genre probabilities, oldest first. */
  segments: number[][] = [];
  genres: string[] = [];
  segmentSeconds = 3;
  /** The device's sample rate and the feature engine in use, said beside the results. */
  note = '';
  message = '';
  private stream: MediaStream | undefined;
  private context: AudioContext | undefined;
  private client: ExplainerClient | undefined;
  private run = 0;

  constructor(private readonly onChange: () => void) {}

  async start(model: { files: ModelFiles; metadata: ModelMetadata }, from: LiveSource = 'microphone'): Promise<void> {
    this.stop();
    const run = ++this.run;
    this.source = from;
    this.state = 'starting';
    this.segments = [];
    this.genres = model.metadata.genres;
    this.segmentSeconds = samplesPerSegment(model.metadata.features) / model.metadata.features.sampleRate;
    this.message = '';
    this.note = '';
    this.onChange();
    try {
      const stream = await captureStream(from);
      if (run !== this.run) {
        stream.getTracks().forEach((t) => { t.stop(); });
        return;
      }
      this.stream = stream;
      const context = new AudioContext();
      this.context = context;
      const source = context.createMediaStreamSource(stream);
      // A ScriptProcessor hands over blocks of 4096 samples (about 0.1 s) on the page's thread,
      // which only copies them to the worker; an AudioWorklet would need a separate module file.
      const node = context.createScriptProcessor(4096, 1, 1);
      const client = new ExplainerClient((e) => {
        if (run !== this.run) return;
        if (e.type === 'ready') {
          this.state = 'listening';
          this.note = `Listening at ${context.sampleRate} Hz, resampled to ${model.metadata.features.sampleRate} Hz; tfjs ${e.backend}.`;
        } else if (e.type === 'live') {
          this.segments = [...this.segments, e.probabilities];
          if (!this.note.includes('features')) this.note += ` Features by the ${e.engine === 'wasm-simd' ? 'WebAssembly SIMD' : 'JavaScript'} engine, as in extraction.`;
        } else if (e.type === 'error') {
          this.stop();
          this.message = `Listening stopped: ${e.message}`;
        }
        this.onChange();
      });
      this.client = client;
      client.send({ type: 'listen', files: model.files, metadata: model.metadata, backend: 'auto', sampleRate: context.sampleRate });
      node.onaudioprocess = (e) => {
        if (run !== this.run) return;
        const samples = e.inputBuffer.getChannelData(0).slice();
        client.send({ type: 'audio', samples }, [samples.buffer]);
      };
      source.connect(node);
      // A ScriptProcessor runs only while connected to the output; it writes silence there.
      node.connect(context.destination);
    } catch (err) {
      if (run !== this.run) return;
      this.stop();
      this.message =
        err instanceof DOMException && err.name === 'NotAllowedError'
          ? from === 'tab'
            ? 'No tab was shared (or the browser did not allow it): choose a tab to listen to it.'
            : 'The browser did not allow the microphone: allow it for this page to listen.'
          : `Could not listen: ${err instanceof Error ? err.message : String(err)}`;
      this.onChange();
    }
  }

  /** Stops the microphone, the audio graph and the worker; the results so far stay on screen. */
  stop(): void {
    this.run++;
    this.stream?.getTracks().forEach((t) => { t.stop(); });
    void this.context?.close().catch(() => undefined);
    this.client?.dispose();
    this.stream = undefined;
    this.context = undefined;
    this.client = undefined;
    if (this.state !== 'idle') {
      this.state = 'idle';
      this.onChange();
    }
  }
}
