import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../architectures/spec';
import { LayersTrainer } from '../engines/layers/layers-trainer';
import { CnnModel } from '../engines/simd-cnn/cnn-model';
import { cnnPlanOf } from '../engines/simd-cnn/cnn-plan';
import { CnnTrainer } from '../engines/simd-cnn/cnn-trainer';
import { LstmModel } from '../engines/simd-lstm/lstm-model';
import { LstmTrainer } from '../engines/simd-lstm/lstm-trainer';
import { simdLstmUsable } from '../engines/simd-lstm/simd-lstm';
import type { Trainer } from '../engines/trainer';
import type { ThreadReplica } from '../parallel/replica';

/** The engines a model trains with: tfjs's layers (every backend), the SIMD LSTM, the SIMD CNNs. */
export type EngineName = 'layers' | 'simd-lstm' | 'simd-cnn';

/** Where a run trains and what it may use. */
export interface EngineEnvironment {
  /** The tfjs backend: 'wasm', 'cpu', 'webgl', 'webgpu'. */
  backend: string;
  /** false: tfjs's layers even where a SIMD engine runs (the reference, to compare against). */
  simd?: boolean;
  /** Threads that may share each batch (the SIMD engines only); 1 when absent. */
  threads?: number;
}

export interface EngineChoice {
  engine: EngineName;
  threads: number;
  /** A short sentence for the page and the terminal: the engine, and why. */
  reason: string;
}

const BACKEND_NAMES: Record<string, string> = { wasm: 'WASM', cpu: 'CPU', webgl: 'WebGL', webgpu: 'WebGPU' };
const threadsText = (n: number) => `${n} thread${n > 1 ? 's' : ''}`;

/** Whether a run asks for the SIMD engines: the lab's "fast LSTM" setting turns off the SIMD LSTM only. */
export const simdAsked = (spec: ModelSpec, fastLstm: boolean | undefined): boolean => spec.kind !== 'lstm' || fastLstm !== false;

/** Which engine trains `spec` here, on how many threads, and why. */
export function chooseEngine(spec: ModelSpec, environment: EngineEnvironment): EngineChoice {
  const backend = BACKEND_NAMES[environment.backend] ?? environment.backend;
  const threads = Math.max(1, environment.threads ?? 1);
  const layers = (why: string): EngineChoice => ({ engine: 'layers', threads: 1, reason: `tfjs layers: ${why}` });
  if (environment.simd === false) return layers(`the SIMD ${spec.kind === 'lstm' ? 'LSTM' : 'CNN'} is off`);
  if (environment.backend === 'webgpu') return layers('WebGPU backend has no SIMD kernels');
  if (environment.backend !== 'wasm' && environment.backend !== 'cpu') return layers(`${backend} backend has no SIMD kernels`);
  if (spec.kind === 'lstm') {
    if (!spec.lstmUnits.every((u) => simdLstmUsable(u))) return layers('the SIMD LSTM kernel takes units in fours, on WebAssembly SIMD');
    return { engine: 'simd-lstm', threads, reason: `SIMD LSTM kernel on ${backend}, ${threadsText(threads)}` };
  }
  if (!CnnModel.runsHere()) return layers('WebAssembly SIMD does not run here');
  if (!cnnPlanOf(spec)) return layers('the SIMD CNN kernel takes filters in fours, at most 4 096');
  return { engine: 'simd-cnn', threads, reason: `SIMD CNN kernel on ${backend}, ${threadsText(threads)}` };
}

/**
 * The trainer of `model` (built from `spec`) on `backend`: the engine chooseEngine picks, its
 * batches shared with `helpers()` (asked for only when the engine shares batches; disposed with
 * the trainer).
 */
export function startEngine(model: tf.LayersModel, spec: ModelSpec, environment: Omit<EngineEnvironment, 'threads'>,
  helpers: () => ThreadReplica[], dropoutSeed: number): { trainer: Trainer; choice: EngineChoice } {
  const first = chooseEngine(spec, environment);
  if (first.engine === 'layers') return { trainer: new LayersTrainer(model, dropoutSeed), choice: first };
  const replicas = helpers();
  const choice = chooseEngine(spec, { ...environment, threads: replicas.length + 1 });
  if (spec.kind === 'lstm') return { trainer: new LstmTrainer(new LstmModel(model, spec), spec.learningRate, replicas, dropoutSeed), choice };
  const plan = cnnPlanOf(spec)!;
  return { trainer: new CnnTrainer(new CnnModel(model, plan), spec.learningRate, replicas, true, dropoutSeed), choice };
}
