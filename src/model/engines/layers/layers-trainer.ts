import * as tf from '@tensorflow/tfjs';
import { mixSeed } from '../../kernels/hash-random';
import type { Trainer, WeightsSnapshot } from '../trainer';

/** A Dropout layer's seed, which tfjs's dropout draws its mask from (absent: unseeded). */
type SeededLayer = { seed?: number };

/**
 * The layers engine: training through tfjs's own layers and optimizer, the reference, on every
 * backend; chooseEngine picks it where the SIMD engines do not run (WebGL, WebGPU, sizes the
 * kernels do not take) and on request (tf.layers.lstm, the benchmarks' reference).
 */
export class LayersTrainer implements Trainer {
  readonly threads = 1;
  private steps = 0;

  /** `dropoutSeed`: the run's dropout stream, from which each step's masks are drawn. */
  constructor(private readonly model: tf.LayersModel, private readonly dropoutSeed = 0) {}

  /** Each Dropout layer's seed for this step: tfjs draws a mask from a seed, the same mask for the same seed. */
  private seedDropout(step: number | undefined): void {
    this.model.layers.forEach((layer, i) => {
      if (layer.getClassName() === 'Dropout') (layer as unknown as SeededLayer).seed = step === undefined ? undefined : mixSeed(this.dropoutSeed, step, i);
    });
  }

  async step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]> {
    this.seedDropout(this.steps++);
    const xs = tf.tensor3d(values, [rows, frames, coefficients]);
    const ys = tf.tensor2d(labels, [rows, 1]);
    try {
      const out = await this.model.trainOnBatch(xs, ys);
      return Array.isArray(out) ? [out[0], out[1]] : [out, NaN];
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  async predict(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array> {
    const xs = tf.tensor3d(values, [rows, frames, coefficients]);
    const probs = this.model.predict(xs) as tf.Tensor;
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      tf.dispose([xs, probs]);
    }
  }

  setLearningRate(rate: number): void {
    // tf.train.adam reads its rate at every step.
    (this.model.optimizer as unknown as { learningRate: number }).learningRate = rate;
  }

  /** Every weight, the moving statistics of batch normalisation included. */
  async snapshot(): Promise<WeightsSnapshot> {
    return Promise.all(this.model.weights.map(async (w) => (await w.read().data() as Float32Array).slice()));
  }

  async restore(snapshot: WeightsSnapshot): Promise<void> {
    this.model.weights.forEach((w, i) => {
      const value = tf.tensor(snapshot[i], w.shape as number[]);
      w.write(value);
      value.dispose();
    });
  }

  /** The layers as built, with no seed of a step left in a Dropout layer's config (model.json records it). */
  flush(): void {
    this.seedDropout(undefined);
  }

  dispose(): void {
    this.seedDropout(undefined);
  }
}
