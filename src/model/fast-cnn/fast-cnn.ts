import * as tf from '@tensorflow/tfjs';
import { cnnKernelModule } from './cnn-kernel';
import { CnnShare } from './cnn-share';
import { cnnSpecOf, type CnnSpec } from './cnn-spec';

let enabled = true;

/** For benchmarks and tests: off trains the CNNs through tfjs's layers and kernels instead. */
export function setFastCnn(on: boolean): void {
  enabled = on;
}

/** Rows predicted at a time: a share's buffers are sized for a batch, not for a whole validation split. */
const PREDICT_ROWS = 32;

/**
 * A CNN built by conv-models.ts, trained on plain arrays through the WebAssembly SIMD kernel
 * (cnn-share.ts) on the WASM and CPU backends, as the fast LSTM is: the trainable weights and the
 * batch-norm moving statistics as float32 arrays that the trainer steps; written to the model's
 * variables when asked (flush), so checkpoints and the export are a plain layers model.
 */
export class FastCnn {
  readonly spec: CnnSpec;
  readonly share: CnnShare;
  private readonly trainable: tf.Variable[];
  private readonly moving: tf.Variable[];
  private current: Float32Array[] | undefined;
  private movingNow: Float32Array[] | undefined;

  constructor(model: tf.LayersModel) {
    const { spec, trainable, moving } = cnnSpecOf(model);
    this.spec = spec;
    this.trainable = trainable;
    this.moving = moving;
    this.share = new CnnShare(spec);
  }

  /** Whether this model trains here: the kernel runs (WebAssembly SIMD), the backend is WASM or CPU, and the model is one of the lab's CNNs. */
  static usable(model: tf.LayersModel): boolean {
    const backend = tf.getBackend();
    if (!enabled || (backend !== 'wasm' && backend !== 'cpu') || cnnKernelModule() === null) return false;
    try {
      cnnSpecOf(model);
      return true;
    } catch {
      return false;
    }
  }

  /** The trainable weights as arrays, in the model's order: stepped in place by the trainer. */
  async weights(): Promise<Float32Array[]> {
    // Copies: on the CPU backend data() is the variable's own storage, which the trainer would step behind tfjs's back.
    this.current ??= await Promise.all(this.trainable.map(async (v) => (await v.data() as Float32Array).slice()));
    return this.current;
  }

  /** The batch-norm moving means and variances, in the spec's order. */
  async state(): Promise<Float32Array[]> {
    this.movingNow ??= await Promise.all(this.moving.map(async (v) => (await v.data() as Float32Array).slice()));
    return this.movingNow;
  }

  /** Writes the arrays to the model's variables: before its files are written or it is used through tfjs. */
  flush(): void {
    const write = (vars: tf.Variable[], values: Float32Array[] | undefined) => {
      if (values) vars.forEach((v, i) => { tf.tidy(() => v.assign(tf.tensor(values[i], v.shape))); });
    };
    write(this.trainable, this.current);
    write(this.moving, this.movingNow);
  }

  /** Class probabilities of `rows` segments with the moving statistics, a batch's worth at a time. */
  async predictValues(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    const [weights, state] = await Promise.all([this.weights(), this.state()]);
    return predictInChunks(this.share, weights, state, values, rows, frames * coefficients, this.spec.classes);
  }
}

/** share.predict over `rows` rows, PREDICT_ROWS at a time. */
export function predictInChunks(share: CnnShare, weights: Float32Array[], state: Float32Array[], values: Float32Array, rows: number, size: number, classes: number): Float32Array {
  const out = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r += PREDICT_ROWS) {
    const n = Math.min(PREDICT_ROWS, rows - r);
    out.set(share.predict(weights, state, values.subarray(r * size, (r + n) * size), n), r * classes);
  }
  return out;
}
