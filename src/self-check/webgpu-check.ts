/**
 * Holds the WebGPU engine (tfjs's layers on tfjs-backend-webgpu, trained by LayersTrainer as a
 * run on WebGPU is) to tfjs-cpu for every architecture the lab trains, at small sizes, from the
 * same seeded starting weights: the class probabilities, the loss and every weight's gradient of
 * one batch in training mode, and every weight (moving statistics included) after three Adam
 * steps with the same dropout masks. self-check.html?webgpu runs it; the browser tests read it.
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../model/architectures/build';
import type { ModelConfig } from '../model/architectures/config';
import { LayersTrainer } from '../model/engines/layers/layers-trainer';
import { relativeError } from './cnn-check';

export interface WebGpuCase {
  name: string;
  config: ModelConfig;
}

const SMALL = { classes: 4, denseUnits: 12, dropout: 0.25, learningRate: 1e-3 } as const;

export const WEBGPU_CASES: WebGpuCase[] = [
  { name: 'recipe LSTM [12, 13], 2 × 8 units', config: { ...SMALL, frames: 12, coefficients: 13, lstmUnits: [8, 8] } },
  { name: '2-D CNN [24, 13], 8 filters', config: { ...SMALL, frames: 24, coefficients: 13, lstmUnits: [4], architecture: 'cnn', filters: 8 } },
  { name: '1-D CNN [26, 13], 8 filters', config: { ...SMALL, frames: 26, coefficients: 13, lstmUnits: [4], architecture: 'conv1d', filters: 8 } },
];

export interface WebGpuComparison {
  name: string;
  /** The backends the two runs trained on: 'webgpu' and 'cpu'. */
  backends: [string, string];
  probabilities: number;
  loss: number;
  /** The largest relative error of any weight's gradient. */
  gradients: number;
  /** The largest relative error of any weight after the steps. */
  weights: number;
  /** Each step's training loss, the WebGPU engine's against tfjs-cpu's. */
  stepLoss: number;
  /** How far the steps moved tfjs-cpu's weights from the starting ones (largest, relative). */
  moved: number;
  pass: boolean;
}

const ROWS = 8;
const STEPS = 3;
const SEED = 11;
const TOL = 1e-4;

/** Fixed inputs and labels of batch `b` (not random: the same on every backend without a generator). */
function batch(c: ModelConfig, b: number): { x: Float32Array; labels: Float32Array } {
  const x = Float32Array.from({ length: ROWS * c.frames * c.coefficients }, (_, i) => Math.sin(0.37 * i + 1 + b) * (1 + ((i + b) % 7) / 7));
  const labels = Float32Array.from({ length: ROWS }, (_, i) => (i * 3 + b) % c.classes);
  return { x, labels };
}

interface Run {
  probabilities: Float32Array;
  loss: number;
  gradients: Float32Array[];
  weights: Float32Array[];
  start: Float32Array[];
  stepLosses: number[];
  backend: string;
}

/** Everything compared, on the backend in use. */
async function runCase(c: ModelConfig): Promise<Run> {
  const model = buildModel(c, SEED);
  try {
    const { x, labels } = batch(c, 0);
    const xs = tf.tensor3d(x, [ROWS, c.frames, c.coefficients]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), c.classes);
    const probs = model.predict(xs) as tf.Tensor;
    const probabilities = await probs.data() as Float32Array;
    // Training mode (dropout, batch statistics), the dropout masks drawn from one fixed seed.
    const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
    for (const d of dropouts) d.seed = 5;
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const p = model.apply(xs, { training: true }) as tf.Tensor;
      return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(p)), 1))) as tf.Scalar;
    }, vars);
    for (const d of dropouts) d.seed = undefined;
    const loss = (await value.data())[0];
    const gradients = await Promise.all(vars.map(async (v) => await grads[v.name].data() as Float32Array));
    tf.dispose([xs, ys, probs, value, ...Object.values(grads)]);
    const trainer = new LayersTrainer(model, SEED);
    const start = await trainer.snapshot();
    const stepLosses: number[] = [];
    for (let b = 0; b < STEPS; b++) {
      const next = batch(c, b);
      stepLosses.push((await trainer.step(next.x, next.labels, ROWS, c.frames, c.coefficients))[0]);
    }
    const weights = await trainer.snapshot();
    trainer.dispose();
    return { probabilities, loss, gradients, weights, start, stepLosses, backend: tf.getBackend() };
  } finally {
    model.optimizer?.dispose();
    model.dispose();
  }
}

/** One case on WebGPU against tfjs-cpu; leaves the CPU backend in use. */
export async function compareWebGpuWithCpu(c: WebGpuCase): Promise<WebGpuComparison> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend did not start');
  const gpu = await runCase(c.config);
  await tf.setBackend('cpu');
  const cpu = await runCase(c.config);
  const most = (a: Float32Array[], b: Float32Array[]) => Math.max(0, ...a.map((v, i) => relativeError(v, b[i])));
  const r = {
    name: c.name,
    backends: [gpu.backend, cpu.backend] as [string, string],
    probabilities: relativeError(gpu.probabilities, cpu.probabilities),
    loss: Math.abs(gpu.loss - cpu.loss),
    gradients: most(gpu.gradients, cpu.gradients),
    weights: most(gpu.weights, cpu.weights),
    stepLoss: Math.max(...gpu.stepLosses.map((l, i) => Math.abs(l - cpu.stepLosses[i]))),
    moved: most(cpu.weights, cpu.start),
  };
  // A NaN anywhere fails: every comparison below is false for NaN.
  const pass =
    [r.probabilities, r.loss, r.gradients, r.weights, r.stepLoss].every((e) => e < TOL) &&
    gpu.weights.length === cpu.weights.length &&
    gpu.backend === 'webgpu';
  return { ...r, pass };
}
