/**
 * Adam on plain float32 arrays, with tf.train.adam's arithmetic (β1 0.9, β2 0.999, ε 1e-7, the
 * bias corrections 1 − β^t kept as float32 products as tfjs keeps them). tfjs runs an update as
 * ~10 tensor ops per variable, ~5 ms a step for the reference model on WASM; this loop takes
 * about one, which matters where the step is the only serial part of a data-parallel batch.
 */
export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    sizes: readonly number[],
    /** Changed between steps by a learning-rate schedule. */
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
    this.accBeta1 = Math.fround(beta1);
    this.accBeta2 = Math.fround(beta2);
  }

  /**
   * One step: `weights[i]` moves in place against the gradient Σ_s scales[s] · grads[s][i], the
   * shares' gradients averaged in the same pass (one share with scale 1: a plain step).
   */
  apply(weights: Float32Array[], grads: readonly (readonly Float32Array[])[], scales: readonly number[] = [1]): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const step = this.learningRate / Math.fround(1 - this.accBeta1);
    const unbias = 1 / Math.fround(1 - this.accBeta2);
    weights.forEach((w, i) => {
      const m = this.m[i];
      const v = this.v[i];
      const g0 = grads[0][i];
      const g1 = grads.length > 1 ? grads[1][i] : g0;
      const s0 = scales[0];
      const s1 = grads.length > 1 ? scales[1] : 0;
      for (let k = 0; k < w.length; k++) {
        let g = s0 * g0[k] + s1 * g1[k];
        for (let s = 2; s < grads.length; s++) g += scales[s] * grads[s][i][k];
        const mk = b1 * m[k] + (1 - b1) * g;
        const vk = b2 * v[k] + (1 - b2) * g * g;
        m[k] = mk;
        v[k] = vk;
        w[k] -= (step * mk) / (Math.sqrt(vk * unbias) + eps);
      }
    });
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(b1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(b2));
  }
}
