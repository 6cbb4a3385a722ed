import type { StageReply, StageReport } from './cnn-share';

/**
 * The CNN step's stages exchanged through shared memory instead of messages, where the page is
 * cross-origin isolated (SharedArrayBuffer exists; always in Node): a share writes its stage's
 * sums into its slot and raises its counter; the coordinator waits (Atomics.wait) for every
 * helper's counter, adds the sums up, writes the reply and raises the release counter the helpers
 * wait on. A stage hand-off costs microseconds where a message round trip between workers cost
 * Chromium about a millisecond, which was more than a small CNN's whole stage.
 *
 * Layout: Int32 [release, arrived of helper 1 … n], then Float64: the reply (2 × channels), then
 * per helper: [kind, block, count, loss, correct, sums (groups × 2 × channels)].
 */
export class StageExchange {
  readonly control: Int32Array;
  private readonly numbers: Float64Array;
  private readonly slot: number;

  constructor(readonly buffer: SharedArrayBuffer, readonly helpers: number, readonly maxChannels: number, readonly maxGroups: number) {
    this.control = new Int32Array(buffer, 0, 1 + helpers);
    const at = 8 * Math.ceil((4 * (1 + helpers)) / 8);
    this.slot = 5 + maxGroups * 2 * maxChannels;
    this.numbers = new Float64Array(buffer, at, 2 * maxChannels + helpers * this.slot);
  }

  /** A fresh exchange for `helpers` helpers, stages of up to `maxChannels` channels and `maxGroups` groups a share. */
  static create(helpers: number, maxChannels: number, maxGroups: number): StageExchange {
    const slot = 5 + maxGroups * 2 * maxChannels;
    const bytes = 8 * Math.ceil((4 * (1 + helpers)) / 8) + 8 * (2 * maxChannels + helpers * slot);
    return new StageExchange(new SharedArrayBuffer(bytes), helpers, maxChannels, maxGroups);
  }

  /** Whether shared memory can carry the stages here. */
  static available(): boolean {
    return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
  }

  // ---- the helper's side

  /** Helper `h` (0-based) posts its stage report as stage number `stage`. */
  report(h: number, stage: number, r: Exclude<StageReport, { kind: 'done' }>): void {
    const o = 2 * this.maxChannels + h * this.slot;
    this.numbers[o] = r.kind === 'moments' ? 0 : 1;
    this.numbers[o + 1] = r.block;
    this.numbers[o + 2] = r.count;
    this.numbers[o + 3] = r.kind === 'back' ? r.loss ?? NaN : NaN;
    this.numbers[o + 4] = r.kind === 'back' ? r.correct ?? NaN : NaN;
    this.numbers.set(r.sums, o + 5);
    Atomics.store(this.control, 1 + h, stage);
    Atomics.notify(this.control, 1 + h);
  }

  /** Helper `h` failed: its slot says so and its counter jumps past every stage, so the coordinator stops waiting. */
  fail(h: number): void {
    this.numbers[2 * this.maxChannels + h * this.slot] = 2;
    Atomics.store(this.control, 1 + h, 0x7fffffff);
    Atomics.notify(this.control, 1 + h);
  }

  /** Waits until the coordinator releases stage `stage`, and reads its reply (of `channels` channels, of the kind the report was). */
  awaitReply(stage: number, kind: 'moments' | 'back', channels: number): StageReply {
    waitFor(this.control, 0, stage);
    const a = Float32Array.from(this.numbers.subarray(0, channels));
    const b = Float32Array.from(this.numbers.subarray(this.maxChannels, this.maxChannels + channels));
    return kind === 'moments' ? { kind, mean: a, variance: b } : { kind, m1: a, m2: b };
  }

  // ---- the coordinator's side

  /** Waits for helper `h`'s report of stage `stage` and reads it (`groups` groups of `channels` channels). */
  awaitReport(h: number, stage: number, channels: number, groups: number): Exclude<StageReport, { kind: 'done' }> {
    waitFor(this.control, 1 + h, stage);
    const o = 2 * this.maxChannels + h * this.slot;
    if (this.numbers[o] === 2) throw new Error(`training thread ${h + 1} failed`);
    const sums = this.numbers.slice(o + 5, o + 5 + groups * 2 * channels);
    const block = this.numbers[o + 1];
    const count = this.numbers[o + 2];
    if (this.numbers[o] === 0) return { kind: 'moments', block, sums, count };
    const loss = this.numbers[o + 3];
    return { kind: 'back', block, sums, count, loss: Number.isNaN(loss) ? undefined : loss, correct: Number.isNaN(loss) ? undefined : this.numbers[o + 4] };
  }

  /** Releases stage `stage` to the helpers with this reply. */
  release(stage: number, reply: StageReply): void {
    const [a, b] = reply.kind === 'moments' ? [reply.mean, reply.variance] : [reply.m1, reply.m2];
    this.numbers.set(a, 0);
    this.numbers.set(b, this.maxChannels);
    Atomics.store(this.control, 0, stage);
    Atomics.notify(this.control, 0);
  }

  /** The last stage number released: a step starts after it. */
  get stage(): number {
    return Atomics.load(this.control, 0);
  }
}

/** Longer than any stage takes: a thread silent this long has died, and the step ends with an error, not a hang. */
const PATIENCE_MS = 120_000;

/** Blocks until control[i] ≥ value (Atomics.wait, which workers and Node's threads may use). */
function waitFor(control: Int32Array, i: number, value: number): void {
  const until = performance.now() + PATIENCE_MS;
  for (;;) {
    const now = Atomics.load(control, i);
    if (now >= value) return;
    const left = until - performance.now();
    if (left <= 0) throw new Error('a training thread stopped answering');
    Atomics.wait(control, i, now, left);
  }
}
