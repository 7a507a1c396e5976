/**
 * The normal of the decision boundary at a boundary point x' (P4, arXiv 2103.11257): the gradient
 * of the logit margin between the original class c and the strongest other class a at x',
 *
 *   n(x') = grad_x' ( z_c(x') - z_a(x') ),   a = argmax_{j != c} z_j(x')
 *
 * For a piecewise-linear (ReLU) network the boundary {z_c = z_a} is locally a hyperplane and n is
 * its normal, pointing into class c's side. Batched in chunks of batchSize rows.
 *
 * @example
 *   const n = boundaryNormal(model, b.xBoundary, preds);   // shaped like x; n.dispose()
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../../engine';
import type { Model } from '../../engine';

export interface BoundaryNormalOptions {
  /** Rows per backward pass (default 64). */
  batchSize?: number;
}

export function boundaryNormal(model: Model, xBoundary: tf.Tensor, classes: number[], options: BoundaryNormalOptions = {}): tf.Tensor {
  const where = 'boundaryNormal';
  checkOptions(where, options, ['batchSize']);
  const { batchSize = 64 } = options;
  const n = xBoundary.shape[0];
  if (xBoundary.rank < 2) throw new Error(`${where}: xBoundary must be a batch [N, ...], got shape [${xBoundary.shape}].`);
  if (classes.length !== n) throw new Error(`${where}: ${classes.length} classes for ${n} boundary points.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${where}: batchSize must be a positive integer, got ${batchSize}.`);
  const fn = asFn(model);
  const parts: tf.Tensor[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const k = Math.min(batchSize, n - s);
    parts.push(
      tf.tidy(() => {
        const xb = xBoundary.slice(s, k);
        const z0 = fn(xb).reshape([k, -1]);
        const C = z0.shape[1] as number;
        if (C < 2) throw new Error(`${where}: needs a classifier with at least 2 logits; the model has ${C}.`);
        classes.slice(s, s + k).forEach((c) => {
          if (!Number.isInteger(c) || c < 0 || c >= C) throw new Error(`${where}: class ${c} is not in [0, ${C - 1}].`);
        });
        const cOne = tf.oneHot(tf.tensor1d(classes.slice(s, s + k), 'int32'), C).toFloat();
        // a = the strongest other class at x' (fixed while differentiating)
        const aIdx = z0.sub(cOne.mul(1e9)).argMax(1);
        const aOne = tf.oneHot(aIdx, C).toFloat();
        const w = cOne.sub(aOne); // z_c - z_a as a weighted sum of logits
        return tf.grad((xx: tf.Tensor) => fn(xx).reshape([k, -1]).mul(w).sum())(xb);
      }),
    );
  }
  if (parts.length === 1) return parts[0];
  const out = tf.concat(parts);
  tf.dispose(parts);
  return out;
}
