/**
 * A gradient-free distance to the decision boundary (a masking check for the gradient-based
 * search): for each x_i, walk the straight line towards the k nearest other points x_j that the
 * model puts in another class and bisect for the crossing,
 *
 *   d_free(x_i) = min_{j in N_k(i)} t*_ij ||x_j - x_i||,   t*_ij = crossing of argmax f(x_i + t (x_j - x_i)) != c_i
 *
 * (attacks.refineBoundary does the bisection; the crossing is found to 2^-steps ||x_j - x_i||). It
 * uses only the model's decisions, so a masked gradient cannot hide a near boundary from it: a
 * model whose white-box distances exceed these (or whose white-box search finds nothing where this
 * finds a crossing) is gradient-masked. In the spirit of decision-based attacks (Brendel et al.
 * 2018, arXiv 1712.04248: start from a point of another class, move towards x), without their
 * random walk. NaN where no other point has another class.
 *
 * @example
 *   const d = lineSearchDistance(model, x, { candidates: 8, steps: 10 });   // d.distance[i]
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../../engine';
import type { Model } from '../../engine';
import { refineBoundary } from '../../attacks';

export interface LineSearchDistanceOptions {
  /** Other-class points tried per example, nearest first (default 8). */
  candidates?: number;
  /** Bisection halvings (default 10). */
  steps?: number;
  batchSize?: number;
}

export interface LineSearchDistanceResult {
  /** Smallest crossing distance per example (NaN: no other-class point). */
  distance: number[];
  /** The model's class per example. */
  classes: number[];
}

export function lineSearchDistance(model: Model, x: tf.Tensor, options: LineSearchDistanceOptions = {}): LineSearchDistanceResult {
  const where = 'lineSearchDistance';
  checkOptions(where, options, ['candidates', 'steps', 'batchSize']);
  const { candidates = 8, steps = 10, batchSize = 256 } = options;
  if (!Number.isInteger(candidates) || candidates < 1) throw new Error(`${where}: candidates must be a positive integer, got ${candidates}.`);
  const n = x.shape[0];
  const fn = asFn(model);
  const classes = tf.tidy(() => Array.from(fn(x).reshape([n, -1]).argMax(1).dataSync()));
  // squared pairwise distances ||a||^2 + ||b||^2 - 2 a.b
  const d2 = tf.tidy(() => {
    const f = x.reshape([n, -1]);
    const sq = f.square().sum(1);
    return f.matMul(f, false, true).mul(-2).add(sq.reshape([n, 1])).add(sq.reshape([1, n])).arraySync() as number[][];
  });
  const I: number[] = [];
  const J: number[] = [];
  for (let i = 0; i < n; i++) {
    const others = classes.map((c, j) => (c !== classes[i] ? j : -1)).filter((j) => j >= 0);
    others.sort((a, b) => d2[i][a] - d2[i][b]);
    for (const j of others.slice(0, candidates)) (I.push(i), J.push(j));
  }
  const distance = new Array<number>(n).fill(NaN);
  if (I.length === 0) return { distance, classes };
  const [xi, xj] = tf.tidy(() => [tf.gather(x, tf.tensor1d(I, 'int32')), tf.gather(x, tf.tensor1d(J, 'int32'))]);
  try {
    const r = refineBoundary(model, xi, xj, I.map((i) => classes[i]), { steps, batchSize });
    r.xBoundary.dispose();
    r.t.forEach((t, k) => {
      const d = t * Math.sqrt(Math.max(0, d2[I[k]][J[k]]));
      if (!(d >= distance[I[k]])) distance[I[k]] = d;
    });
  } finally {
    tf.dispose([xi, xj]);
  }
  return { distance, classes };
}
