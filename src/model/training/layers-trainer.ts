import * as tf from '@tensorflow/tfjs';
import type { Trainer, WeightsSnapshot } from './trainer';

/**
 * Training through tfjs's own layers and optimizer: where the fast paths do not run (the WebGL
 * backend, tf.layers.lstm on request, CNN sizes the kernel does not take).
 */
export class LayersTrainer implements Trainer {
  readonly threads = 1;

  constructor(private readonly model: tf.LayersModel) {}

  async step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]> {
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

  flush(): void {}

  dispose(): void {}
}
