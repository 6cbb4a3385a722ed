import * as tf from '@tensorflow/tfjs';
import { cnnKernelModule } from './cnn-kernel';
import { CnnShare } from './cnn-share';
import type { CnnPlan } from './cnn-plan';

/** Rows predicted at a time: a share's buffers are sized for a batch, not for a whole validation split. */
const PREDICT_ROWS = 32;

/**
 * A CNN built by buildModel from its spec, trained on plain arrays through the WebAssembly SIMD
 * kernel (cnn-share.ts) on the WASM and CPU backends: the trainable weights and the batch-norm
 * moving statistics as float32 arrays that the trainer steps; written to the model's variables
 * when asked (flush), so checkpoints and the export are a plain layers model.
 */
export class CnnModel {
  readonly plan: CnnPlan;
  readonly share: CnnShare;
  private readonly trainable: tf.Variable[];
  private readonly moving: tf.Variable[];
  private current: Float32Array[] | undefined;
  private movingNow: Float32Array[] | undefined;

  /** `model` built from a spec whose plan is `plan` (cnnPlanOf): its variables hold the weights the plan places. */
  constructor(model: tf.LayersModel, plan: CnnPlan) {
    this.plan = plan;
    this.trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.moving = model.nonTrainableWeights.map((w) => w.read() as tf.Variable);
    if (this.trainable.length !== plan.denses[plan.denses.length - 1].bias + 1 || this.moving.length !== 2 * plan.blocks.length) {
      throw new Error('the model was not built from this CNN spec');
    }
    this.share = new CnnShare(plan);
  }

  /** Whether the kernel runs here: WebAssembly SIMD validates, and the backend is WASM or CPU (whose arrays it reads). */
  static runsHere(): boolean {
    const backend = tf.getBackend();
    return (backend === 'wasm' || backend === 'cpu') && cnnKernelModule() !== null;
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
    return predictInChunks(this.share, weights, state, values, rows, frames * coefficients, this.plan.classes);
  }
}

/** share.predict over `rows` rows, PREDICT_ROWS at a time. */
export function predictInChunks(
  share: CnnShare,
  weights: Float32Array[],
  state: Float32Array[],
  values: Float32Array,
  rows: number,
  size: number,
  classes: number,
): Float32Array {
  const out = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r += PREDICT_ROWS) {
    const n = Math.min(PREDICT_ROWS, rows - r);
    out.set(share.predict(weights, state, values.subarray(r * size, (r + n) * size), n), r * classes);
  }
  return out;
}
