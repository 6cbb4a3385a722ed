import * as tf from '@tensorflow/tfjs';
import { embeddedModule } from '../../../dsp/wasm/embedded-module';
import { CNN_KERNEL_RELAXED_WASM } from '../../../generated/cnn-kernel-relaxed.wasm';
import { CNN_KERNEL_WASM } from '../../../generated/cnn-kernel.wasm';

/**
 * The CNNs' WebAssembly SIMD kernel (wasm/cnn-kernel.as.ts): relaxed SIMD's fused multiply-add
 * where the engine validates it (Chromium), plain SIMD elsewhere (Node 20 without a flag). Each
 * network share has an instance of its own, so its memory goes when the share does.
 */
export interface CnnExports {
  memory: WebAssembly.Memory;
  allocate(bytes: number): number;
  fused(): number;
  pad(src: number, B: number, H: number, W: number, C: number, kh: number, kw: number, top: number, left: number, dst: number): void;
  conv(P: number, F: number, B: number, H: number, W: number, Cin: number, Cout: number, kh: number, kw: number, Y: number): void;
  flip(F: number, kh: number, kw: number, Cin: number, Cout: number, Ff: number): void;
  filterGradient(
    P: number,
    dY: number,
    B: number,
    H: number,
    W: number,
    Cin: number,
    Cout: number,
    kh: number,
    kw: number,
    dF: number,
  ): void;
  stats(Y: number, N: number, C: number, sums: number): void;
  normalizeReluPool(
    Y: number,
    B: number,
    H: number,
    W: number,
    C: number,
    scale: number,
    shift: number,
    ph: number,
    pw: number,
    out: number,
    arg: number,
  ): void;
  poolReluBack(
    dOut: number,
    arg: number,
    Y: number,
    B: number,
    H: number,
    W: number,
    C: number,
    mean: number,
    invStd: number,
    ph: number,
    pw: number,
    dZ: number,
    sums: number,
  ): void;
  normalizeBack(Y: number, dZ: number, N: number, C: number, mean: number, invStd: number, a: number, m1: number, m2: number): void;
}

const plain = embeddedModule(CNN_KERNEL_WASM);
const relaxed = embeddedModule(CNN_KERNEL_RELAXED_WASM);

/**
 * The tf.env() flag that allows relaxed SIMD (default true): false keeps to plain SIMD where
 * relaxed SIMD would run, for tests, benchmarks and the self-check page
 * (tf.env().set(RELAXED_SIMD, false), or ?tfjsflags=GTZAN_RELAXED_SIMD:false in a page's address).
 */
export const RELAXED_SIMD = 'GTZAN_RELAXED_SIMD';
tf.env().registerFlag(RELAXED_SIMD, () => true);

/** The module this engine runs: relaxed SIMD if it validates and is allowed, else plain SIMD, else none. */
export function cnnKernelModule(): WebAssembly.Module | null {
  return (tf.env().getBool(RELAXED_SIMD) ? relaxed() : null) ?? plain();
}

/** Whether the CNN kernel runs here (WebAssembly with SIMD), and whether with fused multiply-add. */
export function cnnKernelFlavour(): 'relaxed-simd' | 'simd' | null {
  const m = cnnKernelModule();
  return m === null ? null : m === relaxed() ? 'relaxed-simd' : 'simd';
}

/**
 * Buffers in one kernel instance's memory, by name, grown (never shrunk) to what a batch needs:
 * batch after batch the same ones are reused. Views are made after every allocation, since
 * growing the memory detaches the old ones.
 */
export class Workspace {
  readonly k: CnnExports;
  private readonly at = new Map<string, { ptr: number; bytes: number }>();

  constructor() {
    const module = cnnKernelModule();
    if (!module) throw new Error('the CNN kernel needs WebAssembly with SIMD');
    this.k = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('the CNN kernel aborted'); } } }).exports as unknown as CnnExports;
  }

  /** The address of buffer `name`, holding at least `bytes` (16-byte aligned). */
  ptr(name: string, bytes: number): number {
    const have = this.at.get(name);
    if (have && have.bytes >= bytes) return have.ptr;
    const ptr = this.k.allocate(Math.max(16, bytes));
    this.at.set(name, { ptr, bytes });
    return ptr;
  }

  /** A float32 view of buffer `name` of `length` values, allocated if need be. */
  f32(name: string, length: number): Float32Array {
    const ptr = this.ptr(name, 4 * length);
    return new Float32Array(this.k.memory.buffer, ptr, length);
  }

  f64(name: string, length: number): Float64Array {
    const ptr = this.ptr(name, 8 * length);
    return new Float64Array(this.k.memory.buffer, ptr, length);
  }

  /** Copies `values` into buffer `name` and returns its address. */
  put(name: string, values: Float32Array): number {
    const ptr = this.ptr(name, 4 * values.length);
    new Float32Array(this.k.memory.buffer, ptr, values.length).set(values);
    return ptr;
  }
}
