import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../data/random';
import { mixSeed, STREAMS } from '../kernels/hash-random';

/** The random starts the lab's layers take (Keras's names): the LSTMs' kernels, their recurrent kernels, the convolutions. */
export type InitialKind = 'glorotUniform' | 'heNormal' | 'orthogonal';

/** A weight's fan-in and fan-out, as Keras and tfjs count them (channels last). */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  const field = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * field, shape[shape.length - 1] * field];
}

/** Box–Muller, one value a pair of draws. */
function normal(random: () => number): number {
  const r = Math.sqrt(-2 * Math.log(1 - random()));
  return r * Math.cos(2 * Math.PI * random());
}

/**
 * An orthonormal `rows` × `cols` matrix (rows orthonormal when there are fewer rows, columns
 * otherwise): modified Gram–Schmidt on a normal matrix in float64, whose R has a positive
 * diagonal, the sign correction Keras applies after a Householder QR.
 */
function orthogonal(rows: number, cols: number, random: () => number): Float32Array {
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  const a = Float64Array.from({ length: n * m }, () => normal(random));
  for (let j = 0; j < m; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a[i * m + p] * a[i * m + j];
      for (let i = 0; i < n; i++) a[i * m + j] -= dot * a[i * m + p];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[i * m + j] * a[i * m + j];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) a[i * m + j] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = rows >= cols ? a[r * m + c] : a[c * m + r];
  }
  return out;
}

/**
 * The start of the `index`-th randomly started weight of a model (counted in the model's order
 * of weights) for a run's `seed`: plain float64 arithmetic rounded to float32, the same on every
 * backend and thread, and in python/train.py. Glorot uniform and He normal (truncated at two
 * deviations) as Keras scales them; orthogonal with gain 1.
 */
export function initialValues(kind: InitialKind, shape: readonly number[], seed: number, index: number): Float32Array {
  const random = seededRandom(mixSeed(seed, STREAMS.weights, index));
  const size = shape.reduce((a, b) => a * b, 1);
  const [fanIn, fanOut] = fans(shape);
  if (kind === 'orthogonal') return orthogonal(size / shape[shape.length - 1], shape[shape.length - 1], random);
  if (kind === 'glorotUniform') {
    const limit = Math.sqrt(3 / Math.max(1, (fanIn + fanOut) / 2));
    return Float32Array.from({ length: size }, () => (2 * random() - 1) * limit);
  }
  const deviation = Math.sqrt(2 / Math.max(1, fanIn));
  return Float32Array.from({ length: size }, () => {
    let z: number;
    do z = normal(random); while (Math.abs(z) > 2);
    return z * deviation;
  });
}

/**
 * tfjs initialisers that draw from a run's seed: Keras's own classes (model.json records them as
 * it always has), their values from initialValues in the order the layers ask for them.
 */
export class SeededInitializers {
  private next = 0;

  constructor(private readonly seed: number) {}

  glorotUniform() {
    return this.drawing('glorotUniform', tf.initializers.glorotUniform({}));
  }

  heNormal() {
    return this.drawing('heNormal', tf.initializers.heNormal({}));
  }

  orthogonal() {
    return this.drawing('orthogonal', tf.initializers.orthogonal({}));
  }

  private drawing<T extends { apply(shape: number[]): tf.Tensor }>(kind: InitialKind, initializer: T): T {
    initializer.apply = (shape: number[]) => tf.tensor(initialValues(kind, shape, this.seed, this.next++), shape);
    return initializer;
  }
}
