/**
 * Norms as small strategy objects (conventions #2, after Foolbox's LinfBaseGradientDescent):
 * a random start inside the eps-ball, the gradient normalisation giving the steepest-ascent
 * direction, and the projection back onto the ball. PGD, FGSM and the boundary search share them.
 *
 * All methods take and return batch tensors [N, ...]; eps is an [N, 1, ..., 1] tensor so that the
 * budget may differ per example (SNR budgets).
 *
 * @example
 *   const d = l2.project(delta, eps);   // delta * min(1, eps / ||delta||_2)
 */
import * as tf from '@tensorflow/tfjs';
import { perExample, seededNoise } from './common';
import { rowL2 } from './perturbationSizes';

export interface Norm {
  readonly name: string;
  /** A random point in the eps-ball, per example seeded by (seed, restart, example id). */
  randomStart(shape: number[], eps: tf.Tensor, ids: number[], seed: number, restart: number): tf.Tensor;
  /** The steepest-ascent direction of unit size in this norm. */
  normalizeGrad(g: tf.Tensor): tf.Tensor;
  /** Projection of delta onto the eps-ball. */
  project(delta: tf.Tensor, eps: tf.Tensor): tf.Tensor;
  /** Per-example size [N]. */
  size(delta: tf.Tensor): tf.Tensor1D;
}

/** Linf: start U[-eps, eps]^d, direction sign(g), projection clip(delta, -eps, eps). */
export const linf: Norm = {
  name: 'linf',
  randomStart(shape, eps, ids, seed, restart) {
    return tf.tidy(() => seededNoise(shape, ids, seed, 'linf-start', restart, 'uniform').mul(eps));
  },
  normalizeGrad(g) {
    return tf.sign(g);
  },
  project(delta, eps) {
    return tf.tidy(() => tf.minimum(tf.maximum(delta, eps.neg()), eps));
  },
  size(delta) {
    return tf.tidy(() => delta.reshape([delta.shape[0], -1]).abs().max(1)) as tf.Tensor1D;
  },
};

/**
 * L2: start uniform in the ball (direction n/||n|| with n ~ N(0, I), radius eps * u^(1/d)),
 * direction g / ||g||_2, projection delta * min(1, eps / ||delta||_2).
 */
export const l2: Norm = {
  name: 'l2',
  randomStart(shape, eps, ids, seed, restart) {
    return tf.tidy(() => {
      const d = shape.slice(1).reduce((a, b) => a * b, 1);
      const n = seededNoise(shape, ids, seed, 'l2-start', restart, 'normal');
      const u = seededNoise([ids.length, 1], ids, seed, 'l2-radius', restart, 'uniform').add(1).div(2); // U[0,1)
      const radius = perExample(u.pow(1 / d).reshape([ids.length]), shape.length);
      return n.div(perExample(rowL2(n), shape.length).add(1e-12)).mul(radius).mul(eps);
    });
  },
  normalizeGrad(g) {
    return tf.tidy(() => g.div(perExample(rowL2(g), g.rank).add(1e-12)));
  },
  project(delta, eps) {
    return tf.tidy(() => {
      const n = perExample(rowL2(delta), delta.rank);
      return delta.mul(tf.minimum(1, eps.div(n.add(1e-12))));
    });
  },
  size(delta) {
    return rowL2(delta);
  },
};

/** A norm by name ('linf' | 'l2') or a custom strategy object. */
export function resolveNorm(where: string, norm: 'linf' | 'l2' | Norm | undefined): Norm {
  if (norm === undefined || norm === 'linf') return linf;
  if (norm === 'l2') return l2;
  if (norm && typeof norm === 'object' && typeof norm.project === 'function' && typeof norm.normalizeGrad === 'function') return norm;
  throw new Error(`${where}: unknown norm ${JSON.stringify(norm)}; use 'linf', 'l2' or a Norm object.`);
}
