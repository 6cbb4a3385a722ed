import * as tf from '@tensorflow/tfjs';
import { GL_CELL, GL_CONCAT_STEPS, GL_DH, GL_DZ, GL_GATES, GL_STACK_STEPS, PACKED } from './kernel-names';

/**
 * The WebGL step programs. On WebGL a step costs its dispatches (one per program, plus the
 * packing and unpacking tfjs inserts between packed and unpacked programs) and its texture
 * reads, so each program folds the step's matrix product into its element-wise work, and all
 * of them read and write tfjs's packed layout (2×2 blocks in one RGBA texel: a quarter of the
 * reads, no layout changes): two programs per step forward and two backward.
 * - gates: z_t = xw_t + h_{t−1}·U                          [B, 4H]
 * - cell:  [h_t | c_t] from z_t and c_{t−1}                 [B, 2H]
 * - dh:    dh_t = dy_t + dz_{t+1}·Uᵀ                         [B, H]
 * - dz:    [dz_t | dc_t·f_t] from z_t, c_{t−1}, dh_t and dc_{t+1}·f_{t+1}   [B, 5H]
 * H must be even, so that no 2×2 block straddles two gates. Step indices are uniforms, so each
 * program compiles once per layer size.
 */
interface WebGLProgramLike {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs: true;
  packedOutput: true;
  customUniforms?: { name: string; type: 'int' }[];
}

interface WebGLBackendLike {
  runWebGLProgram(p: WebGLProgramLike, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: number[][]): tf.TensorInfo;
}

const HELPERS = `
  vec4 sigm(vec4 x) { return 1.0 / (1.0 + exp(-x)); }
  // tanh written out: GLSL's built-in overflows for large |x| on some drivers.
  vec4 th(vec4 x) { vec4 e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
`;

function program(variableNames: string[], outputShape: number[], userCode: string, uniforms: string[] = []): WebGLProgramLike {
  return {
    variableNames,
    outputShape,
    userCode: `${HELPERS}${userCode}`,
    packedInputs: true,
    packedOutput: true,
    customUniforms: uniforms.map((name) => ({ name, type: 'int' })),
  };
}

// In a packed block a = (r, k), (r, k+1), (r+1, k), (r+1, k+1); likewise for the other operand.
// Sequences are batch-major [B, T, ·] as tf.layers.lstm has them, so a block of one step's
// [B, ·] matrix takes two reads (rows b and b+1); atStep() picks the step's half of each.
const STEP = `
  vec4 atStep(vec4 row0, vec4 row1, int t) { return (t - (t / 2) * 2) == 0 ? vec4(row0.xy, row1.xy) : vec4(row0.zw, row1.zw); }
`;

const gatesProgram = (batch: number, units: number) => program(['xw', 'hc', 'u'], [batch, 4 * units], `${STEP}
  void main() {
    ivec2 rc = getOutputCoords();
    vec4 z = atStep(getXw(rc.x, t, rc.y), getXw(rc.x + 1, t, rc.y), t);
    for (int k = 0; k < ${units}; k += 2) {
      vec4 a = getHc(rc.x, k);
      vec4 w = getU(k, rc.y);
      z += a.xxzz * w.xyxy + a.yyww * w.zwzw;
    }
    setOutput(z);
  }`, ['t']);

/** Activations of the gates of units j, j+1 in rows b, b+1, the previous cell state and the new one. */
const activations = (units: number) => `
    vec4 i = sigm(getZ(b, j));
    vec4 f = sigm(getZ(b, ${units} + j));
    vec4 g = th(getZ(b, ${2 * units} + j));
    vec4 o = sigm(getZ(b, ${3 * units} + j));
    vec4 cp = getHc(b, ${units} + j);
    vec4 c = f * cp + i * g;`;

const cellProgram = (batch: number, units: number) => program(['z', 'hc'], [batch, 2 * units], `
  void main() {
    ivec2 rc = getOutputCoords();
    int b = rc.x;
    int j = rc.y < ${units} ? rc.y : rc.y - ${units};
    ${activations(units)}
    setOutput(rc.y < ${units} ? o * th(c) : c);
  }`);

const dhProgram = (batch: number, units: number) => program(['dy', 'dzc', 'u'], [batch, units], `${STEP}
  void main() {
    ivec2 rc = getOutputCoords();
    vec4 dh = tOut >= 0 ? atStep(getDy(rc.x, tOut, rc.y), getDy(rc.x + 1, tOut, rc.y), tOut) : vec4(0.0);
    for (int k = 0; k < ${4 * units}; k += 2) {
      vec4 a = getDzc(rc.x, k);
      vec4 w = getU(rc.y, k);
      dh += a.xxzz * w.xzxz + a.yyww * w.ywyw;
    }
    setOutput(dh);
  }`, ['tOut']);

const dzProgram = (batch: number, units: number) => program(['z', 'hc', 'dh', 'dzc'], [batch, 5 * units], `
  void main() {
    ivec2 rc = getOutputCoords();
    int b = rc.x;
    int gate = rc.y / ${units};
    int j = rc.y - gate * ${units};
    ${activations(units)}
    vec4 tc = th(c);
    vec4 dh = getDh(b, j);
    vec4 dc = getDzc(b, ${4 * units} + j) + dh * o * (1.0 - tc * tc);
    vec4 r;
    if (gate == 0) r = dc * g * i * (1.0 - i);
    else if (gate == 1) r = dc * cp * f * (1.0 - f);
    else if (gate == 2) r = dc * i * (1.0 - g * g);
    else if (gate == 3) r = dh * tc * o * (1.0 - o);
    else r = dc * f;
    setOutput(r);
  }`);

const getter = (name: string) => `get${name[0].toUpperCase()}${name.slice(1)}`;

/**
 * Steps t0…t(n−1), each [B, ≥ width] (the first width columns are read), as one batch-major
 * [B, n, width] sequence: a copy per element, where tf.stack plus a slice measured 6× slower.
 * At most 16 inputs (WebGL 2's minimum of texture units); gatherSteps chains the chunks.
 */
function stackStepsProgram(names: string[], batch: number, width: number): WebGLProgramLike {
  const reads = names.map((n, s) => s % 2 === 0
    ? `${s ? 'else ' : ''}if (c.y == ${s}) { a = ${getter(n)}(c.x, c.z); ${s + 1 < names.length ? `d = ${getter(names[s + 1])}(c.x, c.z);` : ''} }`
    : '').join('\n    ');
  return program(names, [batch, names.length, width], `
  void main() {
    ivec3 c = getOutputCoords();
    vec4 a = vec4(0.0), d = vec4(0.0);
    ${reads}
    bool even = (c.x - (c.x / 2) * 2) == 0;
    setOutput(even ? vec4(a.xy, d.xy) : vec4(a.zw, d.zw));
  }`);
}

/** Sequences [B, n_k, W] (every n_k even but the last) joined along the steps. */
function concatStepsProgram(names: string[], lengths: number[], batch: number, width: number): WebGLProgramLike {
  let offset = 0;
  const reads = names.map((n, k) => {
    const line = `${k ? 'else ' : ''}if (c.y < ${offset + lengths[k]}) r = ${getter(n)}(c.x, c.y - ${offset}, c.z);`;
    offset += lengths[k];
    return line;
  }).join('\n    ');
  return program(names, [batch, offset, width], `
  void main() {
    ivec3 c = getOutputCoords();
    vec4 r = vec4(0.0);
    ${reads}
    setOutput(r);
  }`);
}

/**
 * A copy in the packed layout. tfjs packs an unpacked input for every packed program that
 * reads it, so tensors the step programs read at every step are packed once with this.
 */
const identityProgram = (shape: number[]) => ({ ...program(['x'], shape, ''), userCode: 'void main() { setOutput(getXAtOutCoords()); }' });

type Inputs = Record<string, tf.TensorInfo>;
type Attrs = Record<string, number>;
/** A kernel's program, the inputs in the program's order, and its uniforms' values. */
type Plan = [WebGLProgramLike, tf.TensorInfo[], number[][]?];

function register(kernelName: string, plan: (inputs: Inputs, attrs: Attrs) => Plan): void {
  tf.registerKernel({
    kernelName,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const [p, ins, uniforms] = plan(inputs as Inputs, attrs as Attrs);
      return (backend as unknown as WebGLBackendLike).runWebGLProgram(p, ins, 'float32', uniforms);
    },
  });
}

/** The names p0, p1, … of a kernel that takes any number of inputs. */
const numbered = (prefix: string, inputs: Inputs) => Object.keys(inputs).map((_, i) => `${prefix}${i}`);

export function registerWebGLKernels(): void {
  if (tf.getKernel(GL_GATES, 'webgl')) return;
  register(PACKED, ({ x }) => [identityProgram(x.shape), [x]]);
  register(GL_GATES, ({ xw, hc, u }, { t }) => [gatesProgram(hc.shape[0], u.shape[0]), [xw, hc, u], [[t]]]);
  register(GL_CELL, ({ z, hc }) => [cellProgram(z.shape[0], z.shape[1] / 4), [z, hc]]);
  register(GL_DH, ({ dy, dzc, u }, { tOut }) => [dhProgram(dzc.shape[0], u.shape[0]), [dy, dzc, u], [[tOut]]]);
  register(GL_DZ, ({ z, hc, dh, dzc }) => [dzProgram(z.shape[0], z.shape[1] / 4), [z, hc, dh, dzc]]);
  register(GL_STACK_STEPS, (inputs, { width }) => {
    const names = numbered('t', inputs);
    return [stackStepsProgram(names, inputs.t0.shape[0], width), names.map((n) => inputs[n])];
  });
  register(GL_CONCAT_STEPS, (inputs) => {
    const names = numbered('c', inputs);
    const parts = names.map((n) => inputs[n]);
    return [concatStepsProgram(names, parts.map((c) => c.shape[1]), parts[0].shape[0], parts[0].shape[2]), parts];
  });
}
