import * as tf from '@tensorflow/tfjs';
import { cpuAccess, wasmAccess, type JsBackendAccess } from '../backend/backend-access';
import { LSTM_BACKWARD, LSTM_FORWARD, type StepAttrs } from './kernel-names';
import { backwardStep, forwardStep, type StepShape } from './step-math';

/**
 * The fused step kernels for the CPU and WASM backends: plain loops over each backend's own
 * buffers (tfjs-cpu's Float32Arrays, tfjs-wasm's heap). One call per step replaces the ten-odd
 * small ops tf.layers.lstm dispatches.
 */
function shapeOf(xw: tf.TensorInfo): StepShape {
  const [batch, steps, g4] = xw.shape;
  return { batch, steps, units: g4 / 4 };
}

function register(backendName: string, access: (b: tf.KernelBackend) => JsBackendAccess): void {
  if (tf.getKernel(LSTM_FORWARD, backendName)) return;
  tf.registerKernel({
    kernelName: LSTM_FORWARD,
    backendName,
    kernelFunc: ({ inputs: raw, backend, attrs }) => {
      const inputs = raw as Record<string, tf.TensorInfo>;
      const a = access(backend as tf.KernelBackend);
      const s = shapeOf(inputs.xw);
      const out = a.outputs([[s.batch, s.units], [s.batch, s.units]]);
      const [h, c] = out.arrays();
      forwardStep(s, (attrs as StepAttrs).t, a.read(inputs.xw), a.read(inputs.hu), a.read(inputs.cPrev), h, c);
      return out.infos;
    },
  });
  tf.registerKernel({
    kernelName: LSTM_BACKWARD,
    backendName,
    kernelFunc: ({ inputs: raw, backend, attrs }) => {
      const inputs = raw as Record<string, tf.TensorInfo>;
      const a = access(backend as tf.KernelBackend);
      const s = shapeOf(inputs.xw);
      const { t, tOut } = attrs as StepAttrs;
      const out = a.outputs([[s.batch, 4 * s.units], [s.batch, s.units]]);
      const [dz, dc] = out.arrays();
      backwardStep(s, t, tOut ?? -1, inputs.dy.shape[1], a.read(inputs.xw), a.read(inputs.hu), a.read(inputs.cPrev),
        a.read(inputs.dy), a.read(inputs.dhRec), a.read(inputs.dcNext), dz, dc);
      return out.infos;
    },
  });
}

export function registerJsKernels(): void {
  register('cpu', cpuAccess);
  register('wasm', wasmAccess);
}
