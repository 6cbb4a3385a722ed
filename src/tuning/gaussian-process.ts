import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/**
 * A Gaussian-process regressor with a Matérn 5/2 kernel on [0, 1]^d inputs, for Bayesian
 * optimisation. Targets are standardised; the Cholesky factorisation comes from ml-matrix.
 */
export class GaussianProcess {
  private x: number[][] = [];
  private alpha: Matrix | undefined;
  private chol: CholeskyDecomposition | undefined;
  private mean = 0;
  private scale = 1;

  constructor(private readonly lengthScale = 0.35, private readonly noise = 1e-4) {}

  kernel(a: number[], b: number[]): number {
    let d2 = 0;
    for (let i = 0; i < a.length; i++) d2 += (a[i] - b[i]) ** 2;
    const r = Math.sqrt(5 * d2) / this.lengthScale;
    return (1 + r + (r * r) / 3) * Math.exp(-r);
  }

  fit(x: number[][], y: number[]): void {
    this.x = x;
    this.mean = y.reduce((a, b) => a + b, 0) / y.length;
    const variance = y.reduce((a, b) => a + (b - this.mean) ** 2, 0) / y.length;
    this.scale = Math.sqrt(variance) || 1;
    const k = new Matrix(x.length, x.length);
    for (let i = 0; i < x.length; i++) {
      for (let j = 0; j <= i; j++) {
        const v = this.kernel(x[i], x[j]) + (i === j ? this.noise : 0);
        k.set(i, j, v);
        k.set(j, i, v);
      }
    }
    this.chol = new CholeskyDecomposition(k);
    if (!this.chol.isPositiveDefinite()) throw new Error('the kernel matrix is not positive definite');
    this.alpha = this.chol.solve(Matrix.columnVector(y.map((v) => (v - this.mean) / this.scale)));
  }

  /** Posterior mean and standard deviation at each query point, in the targets' units. */
  predict(q: number[][]): { mean: number[]; std: number[] } {
    if (!this.chol || !this.alpha) throw new Error('fit the process before predicting');
    const ks = new Matrix(this.x.length, q.length);
    for (let i = 0; i < this.x.length; i++) for (let j = 0; j < q.length; j++) ks.set(i, j, this.kernel(this.x[i], q[j]));
    const solved = this.chol.solve(ks);
    const mean: number[] = [];
    const std: number[] = [];
    for (let j = 0; j < q.length; j++) {
      let mu = 0;
      let explained = 0;
      for (let i = 0; i < this.x.length; i++) {
        mu += ks.get(i, j) * this.alpha.get(i, 0);
        explained += ks.get(i, j) * solved.get(i, j);
      }
      mean.push(this.mean + this.scale * mu);
      std.push(this.scale * Math.sqrt(Math.max(1e-12, 1 - explained)));
    }
    return { mean, std };
  }
}

/** Standard normal density and distribution function (Abramowitz–Stegun 7.1.26 for erf). */
function pdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

function cdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2));
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Expected improvement over `best` (maximisation), with exploration margin `xi`. */
export function expectedImprovement(mean: number, std: number, best: number, xi = 0.01): number {
  if (std <= 0) return Math.max(0, mean - best - xi);
  const z = (mean - best - xi) / std;
  return (mean - best - xi) * cdf(z) + std * pdf(z);
}
