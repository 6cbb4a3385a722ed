import * as tf from '@tensorflow/tfjs';
import { embeddedModule } from '../../../dsp/wasm/embedded-module';
import { LSTM_KERNEL_WASM } from '../../../generated/lstm-kernel.wasm';

/**
 * The LSTM layer as one WebAssembly SIMD call forward and one backward over the whole sequence
 * (wasm/lstm-kernel.as.ts), for the WASM and CPU backends: tf.layers.lstm's semantics, the
 * layer's own variables, plain `lstm` layers in the export. tfjs sees one custom op per layer;
 * its inputs are copied into the kernel's memory and its outputs out, which costs little beside
 * the 130 steps of arithmetic it replaces.
 */

interface KernelExports {
  memory: WebAssembly.Memory;
  allocate(bytes: number): number;
  forward(B: number, T: number, I: number, H: number, x: number, xt: number, W: number, U: number, b: number,
    z: number, hs: number, cs: number, out: number, sequences: number): void;
  backward(B: number, T: number, I: number, H: number, xt: number, W: number, U: number,
    z: number, hs: number, cs: number, dy: number, sequences: number,
    uT: number, wT: number, dh: number, dc: number, dx: number, dW: number, dU: number, db: number): void;
}

const kernelModule = embeddedModule(LSTM_KERNEL_WASM);

/** Whether a layer of `units` runs here: WASM or CPU backend, SIMD validating, units a multiple of 4. */
export function simdLstmUsable(units: number): boolean {
  const backend = tf.getBackend();
  return (backend === 'wasm' || backend === 'cpu') && units % 4 === 0 && kernelModule() !== null;
}

const BUFFERS = ['x', 'xt', 'W', 'U', 'b', 'z', 'hs', 'cs', 'out', 'dy', 'uT', 'wT', 'dh', 'dc', 'dx', 'dW', 'dU', 'db'] as const;
type BufferName = (typeof BUFFERS)[number];

function sizes(B: number, T: number, I: number, H: number): Record<BufferName, number> {
  const G = 4 * H;
  return {
    x: B * T * I, xt: B * T * I, W: I * G, U: H * G, b: G, z: T * B * G, hs: (T + 1) * B * H, cs: (T + 1) * B * H, out: B * T * H,
    dy: B * T * H, uT: G * H, wT: G * I, dh: B * H, dc: B * H, dx: B * T * I, dW: I * G, dU: H * G, db: G,
  };
}

/** One layer's buffers in the kernel's memory, kept from batch to batch; a forward's tape is read by its backward. */
interface Slot {
  /** The instance whose memory holds the buffers: a slot outlives a reset of the kernel. */
  k: KernelExports;
  capacity: Record<BufferName, number>;
  at: Record<BufferName, number>;
  /** Bumped by every forward: a backward of an older forward would read the wrong tape. */
  generation: number;
}

/**
 * Layers past this many (tests and benchmarks build many models in one thread) start a fresh
 * instance, since the stub allocator never frees. Slots made before keep their old instance, so
 * a backward still to come reads its own tape; the old memory goes when they do.
 */
const MAX_SLOTS = 16;

class LstmKernel {
  private exports: KernelExports;
  private slots = new Map<number, Slot>();

  constructor(module: WebAssembly.Module) {
    this.exports = this.instantiate(module);
  }

  private instantiate(module: WebAssembly.Module): KernelExports {
    const instance = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('the LSTM kernel aborted'); } } });
    return instance.exports as unknown as KernelExports;
  }

  /** The layer's buffers, grown (never shrunk) to this batch's sizes. */
  slot(key: number, B: number, T: number, I: number, H: number): Slot {
    if (!this.slots.has(key) && this.slots.size >= MAX_SLOTS) {
      this.exports = this.instantiate(kernelModule()!);
      this.slots.clear();
    }
    const need = sizes(B, T, I, H);
    let slot = this.slots.get(key);
    if (!slot || BUFFERS.some((n) => need[n] > slot!.capacity[n])) {
      const at = {} as Record<BufferName, number>;
      // 16-byte aligned for v128 loads (the stub allocator aligns to 16).
      for (const n of BUFFERS) at[n] = this.exports.allocate(Math.max(16, 4 * need[n]));
      slot = { k: this.exports, capacity: need, at, generation: slot?.generation ?? 0 };
      this.slots.set(key, slot);
    }
    return slot;
  }

}

/** A float32 view of a slot's buffer: made after every allocation, since growing the memory detaches views. */
function view(slot: Slot, name: BufferName, length: number): Float32Array {
  return new Float32Array(slot.k.memory.buffer, slot.at[name], length);
}

let instance: LstmKernel | undefined;

function kernel(): LstmKernel {
  instance ??= new LstmKernel(kernelModule()!);
  return instance;
}

/** One forward call of a layer, kept for its backward: the buffers that hold its tape, and its sizes. */
export interface SimdLstmCall {
  slot: Slot;
  generation: number;
  B: number;
  T: number;
  I: number;
  H: number;
  sequences: boolean;
}

/**
 * One layer forward on plain arrays: x [B, T, I], W [I, 4H], U [H, 4H], b [4H]. `key` names the
 * layer's buffers, the same from batch to batch. Returns its output (a copy: [B, T, H] with
 * sequences, else [B, H]) and the call its backward needs. The caller checked simdLstmUsable.
 */
export function simdLstmForward(
  key: number, x: Float32Array, w: Float32Array, u: Float32Array, b: Float32Array, B: number, T: number, I: number, H: number, sequences: boolean,
): { out: Float32Array; call: SimdLstmCall } {
  const G = 4 * H;
  const slot = kernel().slot(key, B, T, I, H);
  const generation = ++slot.generation;
  view(slot, 'x', B * T * I).set(x);
  view(slot, 'W', I * G).set(w);
  view(slot, 'U', H * G).set(u);
  view(slot, 'b', G).set(b);
  const a = slot.at;
  slot.k.forward(B, T, I, H, a.x, a.xt, a.W, a.U, a.b, a.z, a.hs, a.cs, a.out, sequences ? 1 : 0);
  return { out: view(slot, 'out', sequences ? B * T * H : B * H).slice(), call: { slot, generation, B, T, I, H, sequences } };
}

/** The backward of a forward call, from dy (the output's gradient): copies of dx (or null), dW, dU, db. */
export function simdLstmBackward(
  call: SimdLstmCall,
  dy: Float32Array,
  inputGradient: boolean,
): { dx: Float32Array | null; dW: Float32Array; dU: Float32Array; db: Float32Array } {
  const { slot, B, T, I, H } = call;
  if (slot.generation !== call.generation)
    throw new Error('the SIMD LSTM ran forward again before this backward: its saved states are gone');
  const G = 4 * H;
  view(slot, 'dy', dy.length).set(dy);
  const a = slot.at;
  slot.k.backward(
    B,
    T,
    I,
    H,
    a.xt,
    a.W,
    a.U,
    a.z,
    a.hs,
    a.cs,
    a.dy,
    call.sequences ? 1 : 0,
    a.uT,
    a.wT,
    a.dh,
    a.dc,
    inputGradient ? a.dx : 0,
    a.dW,
    a.dU,
    a.db,
  );
  return {
    dx: inputGradient ? view(slot, 'dx', B * T * I).slice() : null,
    dW: view(slot, 'dW', I * G).slice(),
    dU: view(slot, 'dU', H * G).slice(),
    db: view(slot, 'db', G).slice(),
  };
}

/**
 * One LSTM layer as a tfjs op with its gradient (tf.layers.lstm's semantics), for checking the
 * kernel against tf.layers.lstm (self-check.ts); the caller checked simdLstmUsable.
 */
export function simdLstm(x: tf.Tensor3D, w: tf.Tensor2D, u: tf.Tensor2D, b: tf.Tensor1D, returnSequences: boolean, inputGradient: boolean): tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const [xIn, wIn, uIn, bIn] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const [B, T, I] = xIn.shape;
    const H = uIn.shape[0];
    const G = 4 * H;
    // A layer is its kernel variable; the id stays the same from batch to batch.
    const { out, call } = simdLstmForward(wIn.id, xIn.dataSync() as Float32Array, wIn.dataSync() as Float32Array, uIn.dataSync() as Float32Array,
      bIn.dataSync() as Float32Array, B, T, I, H, returnSequences);
    const value = tf.tensor(out, returnSequences ? [B, T, H] : [B, H]);
    const gradFunc = (dyIn: tf.Tensor | tf.Tensor[]) => {
      const g = simdLstmBackward(call, (dyIn as tf.Tensor).dataSync() as Float32Array, inputGradient);
      return [g.dx ? tf.tensor(g.dx, [B, T, I]) : tf.zeros([B, T, I]), tf.tensor(g.dW, [I, G]), tf.tensor(g.dU, [H, G]), tf.tensor(g.db, [G])];
    };
    return { value, gradFunc };
  });
  return op(x, w, u, b);
}
