import type { CnnSpec } from '../../architectures/spec';
import type { DenseLayer } from '../../kernels/dense-math';

/**
 * One block of the lab's CNNs: convolution (stride 1, 'same', no bias) → batch normalisation →
 * ReLU → max-pooling. A 1-D convolution over time is a 2-D one over a single row.
 */
export interface ConvBlock {
  /** The block's input: height (time; 1 for the 1-D CNN), width (frequency; time for the 1-D CNN), channels. */
  H: number;
  W: number;
  cin: number;
  cout: number;
  kh: number;
  kw: number;
  /** Pooling window (and stride). */
  ph: number;
  pw: number;
  /** Indices in the trainable weights: filter [kh, kw, cin, cout], γ, β. */
  filter: number;
  gamma: number;
  beta: number;
  /** Indices in the moving statistics: mean, variance. */
  movingMean: number;
  movingVariance: number;
  epsilon: number;
  momentum: number;
}

/** A CNN the SIMD kernel runs: blocks, global average pooling, dense layers with dropout before the last. */
export interface CnnPlan {
  frames: number;
  coefficients: number;
  blocks: ConvBlock[];
  denses: DenseLayer[];
  dropout: number;
  classes: number;
}

/** Blocks of the 2-D CNN and of the 1-D CNN (architectures/conv-models.ts builds the same). */
const CNN2D_BLOCKS = 4;
const CONV1D_BLOCKS = 3;
/** Keras's batch normalisation defaults, which the built models keep. */
const EPSILON = 1e-3;
const MOMENTUM = 0.99;

/**
 * The plan of a CNN spec for the kernel: its blocks with their shapes, and where each weight sits
 * in the trainable weights (per block filter, γ, β; then each dense layer's kernel and bias, the
 * order buildModel gives) and in the moving statistics (per block mean, variance). Undefined when
 * the kernel does not take it (filters not in fours, or over 4 096).
 */
export function cnnPlanOf(spec: CnnSpec): CnnPlan | undefined {
  const conv2d = spec.kind === 'cnn2d';
  // The activation's shape as it flows: [H, W, C]. A sequence is one row of `frames` positions,
  // so the kernel's tiles of four neighbouring positions run along time.
  let shape: [number, number, number] = conv2d ? [spec.frames, spec.coefficients, 1] : [1, spec.frames, spec.coefficients];
  const blocks: ConvBlock[] = [];
  const count = conv2d ? CNN2D_BLOCKS : CONV1D_BLOCKS;
  for (let b = 0; b < count; b++) {
    const cout = spec.filters * 2 ** (conv2d ? b : b + 1);
    if (cout % 4 !== 0 || cout > 4096) return undefined;
    const [kh, kw] = conv2d ? [3, 3] : [1, 5];
    // The 2-D CNN pools the frequency axis while there are two rows or more.
    const [ph, pw] = conv2d ? [2, shape[1] >= 2 ? 2 : 1] : [1, 2];
    blocks.push({
      H: shape[0], W: shape[1], cin: shape[2], cout, kh, kw, ph, pw, filter: 3 * b, gamma: 3 * b + 1, beta: 3 * b + 2,
      movingMean: 2 * b, movingVariance: 2 * b + 1, epsilon: EPSILON, momentum: MOMENTUM,
    });
    shape = [Math.floor(shape[0] / ph), Math.floor(shape[1] / pw), cout];
  }
  const first = 3 * count;
  const denses: DenseLayer[] = conv2d ? [] : [{ units: spec.denseUnits, relu: true, kernel: first, bias: first + 1 }];
  denses.push({ units: spec.classes, relu: false, kernel: first + 2 * denses.length, bias: first + 2 * denses.length + 1 });
  return { frames: spec.frames, coefficients: spec.coefficients, blocks, denses, dropout: spec.dropout, classes: spec.classes };
}
