/**
 * A gradient-masking check for a rung of the robustness ladder: how many evaluation points have a
 * (near-)zero input gradient of the logit margin,
 *
 *   g_i = || grad_x ( z_c(x_i) - z_a(x_i) ) ||_2,   c = the model's class at x_i, a = the strongest other class
 *   share = #{ i : g_i < tol } / N
 *
 * A point with g_i = 0 sits in a region where the network is locally constant (all ReLUs on the path
 * dead, or saturation): a gradient attack cannot move it, so its "distance to the boundary" would be
 * an artefact of the search, not of the model (Athalye, Carlini & Wagner 2018, arXiv 1802.00420).
 * The margin (not the cross-entropy) is differentiated so that softmax saturation of a confident,
 * correct prediction does not count as zero. Uses boundaryNormal at x itself.
 *
 * @example
 *   const z = zeroGradientShare(model, x, { tol: 1e-6 });   // z.share, z.norms
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../../engine';
import type { Model } from '../../engine';
import { boundaryNormal } from './boundaryNormal';

export interface ZeroGradientShareOptions {
  /** Class per example (default: the model's prediction). */
  classes?: number[];
  /** Norms below this count as zero (default 1e-6). */
  tol?: number;
  batchSize?: number;
}

export interface ZeroGradientShareResult {
  /** ||grad of the margin|| per example. */
  norms: number[];
  count: number;
  share: number;
}

export function zeroGradientShare(model: Model, x: tf.Tensor, options: ZeroGradientShareOptions = {}): ZeroGradientShareResult {
  const where = 'zeroGradientShare';
  checkOptions(where, options, ['classes', 'tol', 'batchSize']);
  const { tol = 1e-6, batchSize = 64 } = options;
  if (!(Number.isFinite(tol) && tol > 0)) throw new Error(`${where}: tol must be a positive number, got ${tol}.`);
  const n = x.shape[0];
  const fn = asFn(model);
  const classes = options.classes ?? tf.tidy(() => Array.from(fn(x).reshape([n, -1]).argMax(1).dataSync()));
  const g = boundaryNormal(model, x, classes, { batchSize });
  const norms = tf.tidy(() => Array.from(g.reshape([n, -1]).norm(2, 1).dataSync()));
  g.dispose();
  const count = norms.filter((v) => !(v >= tol)).length;
  return { norms, count, share: n ? count / n : NaN };
}
