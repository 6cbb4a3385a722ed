import * as tf from '@tensorflow/tfjs';
import { LSTM_BACKWARD, LSTM_FORWARD, UNPACKED, type StepAttrs } from './kernel-names';

/**
 * The fused step kernels for WebGL: fragment-shader programs, one per output (h and c forward,
 * dz and dc backward). The step index is a uniform, so each program compiles once per layer
 * size, not once per time step.
 */
interface WebGLProgramLike {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms: { name: string; type: 'int' }[];
}

interface WebGLBackendLike {
  runWebGLProgram(p: WebGLProgramLike, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: number[][]): tf.TensorInfo;
}

const HELPERS = `
  float sigm(float x) { return 1.0 / (1.0 + exp(-x)); }
  // tanh written out: GLSL's built-in overflows for large |x| on some drivers.
  float th(float x) { float e = exp(-2.0 * abs(x)); float r = (1.0 - e) / (1.0 + e); return x < 0.0 ? -r : r; }
`;

/** Reads the four gates of unit j of batch row b at step t into i, f, g, o. */
function gates(units: number): string {
  return `
    float i = sigm(getXw(b, t, j) + getHu(b, j));
    float f = sigm(getXw(b, t, ${units} + j) + getHu(b, ${units} + j));
    float g = th(getXw(b, t, ${2 * units} + j) + getHu(b, ${2 * units} + j));
    float o = sigm(getXw(b, t, ${3 * units} + j) + getHu(b, ${3 * units} + j));
    float cp = getCPrev(b, j);
    float c = f * cp + i * g;`;
}

function forwardProgram(batch: number, units: number, output: 'h' | 'c'): WebGLProgramLike {
  return {
    variableNames: ['xw', 'hu', 'cPrev'],
    outputShape: [batch, units],
    customUniforms: [{ name: 't', type: 'int' }],
    userCode: `${HELPERS}
      void main() {
        ivec2 rc = getOutputCoords();
        int b = rc.x;
        int j = rc.y;
        ${gates(units)}
        setOutput(${output === 'h' ? 'o * th(c)' : 'c'});
      }`,
  };
}

function backwardProgram(batch: number, units: number, output: 'dz' | 'dc'): WebGLProgramLike {
  const body = `
        ${gates(units)}
        float tc = th(c);
        float dh = getDhRec(b, j);
        if (tOut >= 0) dh += getDy(b, tOut, j);
        float dc = getDcNext(b, j) + dh * o * (1.0 - tc * tc);`;
  const userCode = output === 'dc'
    ? `${HELPERS}
      void main() {
        ivec2 rc = getOutputCoords();
        int b = rc.x;
        int j = rc.y;
        ${body}
        setOutput(dc * f);
      }`
    : `${HELPERS}
      void main() {
        ivec2 rc = getOutputCoords();
        int b = rc.x;
        int gate = rc.y / ${units};
        int j = rc.y - gate * ${units};
        ${body}
        float r;
        if (gate == 0) r = dc * g * i * (1.0 - i);
        else if (gate == 1) r = dc * cp * f * (1.0 - f);
        else if (gate == 2) r = dc * i * (1.0 - g * g);
        else r = dh * tc * o * (1.0 - o);
        setOutput(r);
      }`;
  return {
    variableNames: ['xw', 'hu', 'cPrev', 'dy', 'dhRec', 'dcNext'],
    outputShape: [batch, output === 'dz' ? 4 * units : units],
    customUniforms: [{ name: 't', type: 'int' }, { name: 'tOut', type: 'int' }],
    userCode,
  };
}

/**
 * tfjs-webgl keeps most results in packed textures and unpacks an input for every unpacked
 * program that reads it. The projections (read at every step) are unpacked once with this
 * identity program instead of 130 times per layer, which measured 10× slower.
 */
function identityProgram(shape: number[]): WebGLProgramLike {
  return { variableNames: ['x'], outputShape: shape, customUniforms: [], userCode: 'void main() { setOutput(getXAtOutCoords()); }' };
}

export function registerWebGLKernels(): void {
  if (tf.getKernel(LSTM_FORWARD, 'webgl')) return;
  tf.registerKernel({
    kernelName: UNPACKED,
    backendName: 'webgl',
    kernelFunc: ({ inputs: raw, backend }) => {
      const x = (raw as Record<string, tf.TensorInfo>).x;
      return (backend as unknown as WebGLBackendLike).runWebGLProgram(identityProgram(x.shape), [x], 'float32');
    },
  });
  tf.registerKernel({
    kernelName: LSTM_FORWARD,
    backendName: 'webgl',
    kernelFunc: ({ inputs: raw, backend, attrs }) => {
      const inputs = raw as Record<string, tf.TensorInfo>;
      const gl = backend as unknown as WebGLBackendLike;
      const [batch, , g4] = inputs.xw.shape;
      const ins = [inputs.xw, inputs.hu, inputs.cPrev];
      const u = [[(attrs as StepAttrs).t]];
      return [
        gl.runWebGLProgram(forwardProgram(batch, g4 / 4, 'h'), ins, 'float32', u),
        gl.runWebGLProgram(forwardProgram(batch, g4 / 4, 'c'), ins, 'float32', u),
      ];
    },
  });
  tf.registerKernel({
    kernelName: LSTM_BACKWARD,
    backendName: 'webgl',
    kernelFunc: ({ inputs: raw, backend, attrs }) => {
      const inputs = raw as Record<string, tf.TensorInfo>;
      const gl = backend as unknown as WebGLBackendLike;
      const [batch, , g4] = inputs.xw.shape;
      const { t, tOut } = attrs as StepAttrs;
      const ins = [inputs.xw, inputs.hu, inputs.cPrev, inputs.dy, inputs.dhRec, inputs.dcNext];
      const u = [[t], [tOut ?? -1]];
      return [
        gl.runWebGLProgram(backwardProgram(batch, g4 / 4, 'dz'), ins, 'float32', u),
        gl.runWebGLProgram(backwardProgram(batch, g4 / 4, 'dc'), ins, 'float32', u),
      ];
    },
  });
}
