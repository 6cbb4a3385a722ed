/**
 * What a training session drives, whichever engine trains: the SIMD LSTM or the SIMD CNNs on
 * arrays (simd-lstm/, simd-cnn/, sharing batches through sharded-trainer.ts) or tfjs's layers (layers/).
 */
export interface Trainer {
  /** Threads sharing each batch. */
  readonly threads: number;
  /** One step on a batch of `rows` segments (values row-major, labels one per row): [loss, accuracy]. */
  step(values: Float32Array, labels: Float32Array, rows: number, frames: number, coefficients: number): Promise<[number, number]>;
  /** Class probabilities of `rows` segments, row after row. */
  predict(values: Float32Array, rows: number, frames: number, coefficients: number): Promise<Float32Array>;
  /** The rate the next steps take (a learning-rate schedule sets it between epochs). */
  setLearningRate(rate: number): void;
  /** The weights as they are now (all a model needs to predict, moving statistics included), to go back to. */
  snapshot(): Promise<WeightsSnapshot>;
  restore(snapshot: WeightsSnapshot): Promise<void>;
  /** Writes the weights into the layers model (before its files are written). */
  flush(): void;
  dispose(): void;
}

/** Copies of every array a model's predictions depend on. */
export type WeightsSnapshot = Float32Array[];
