/**
 * Put a boundary point exactly on the decision boundary by bisection along the segment from x to
 * the crossing point x' found by the boundary search (which may overshoot: the search only knows
 * the smallest budget in its list that crosses). With c the model's class at x,
 *
 *   t* = min { t in [0, 1] : argmax f(x + t (x' - x)) != c }   (bisection, `steps` halvings)
 *   x'' = x + t* (x' - x)     (the crossing side, so argmax f(x'') != c)
 *
 * The normal of the boundary is then taken at x'' (an addition for the alignment measurement;
 * P4, arXiv 2103.11257, uses the search's point). Examples not across at t = 1 keep x'.
 *
 * @example
 *   const r = refineBoundary(model, x, b.xBoundary, preds, { steps: 12 });  r.xBoundary.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../../engine';
import type { Model } from '../../engine';

export function refineBoundary(
  model: Model,
  x: tf.Tensor,
  xBoundary: tf.Tensor,
  classes: number[],
  options: { steps?: number } = {},
): { xBoundary: tf.Tensor; t: number[] } {
  const where = 'refineBoundary';
  checkOptions(where, options, ['steps']);
  const { steps = 12 } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${where}: steps must be a positive integer, got ${steps}.`);
  if (x.shape.join() !== xBoundary.shape.join()) throw new Error(`${where}: xBoundary [${xBoundary.shape}] must be shaped like x [${x.shape}].`);
  const n = x.shape[0];
  if (classes.length !== n) throw new Error(`${where}: ${classes.length} classes for ${n} examples.`);
  const fn = asFn(model);
  const ones = x.shape.slice(1).map(() => 1);
  const crossed = (t: number[]) =>
    tf.tidy(() => {
      const tt = tf.tensor1d(t).reshape([n, ...ones]);
      const p = fn(x.add(xBoundary.sub(x).mul(tt))).reshape([n, -1]).argMax(1).dataSync();
      return Array.from(p, (v, i) => v !== classes[i]);
    });
  const ok = crossed(new Array(n).fill(1));
  const lo = new Array<number>(n).fill(0);
  const hi = new Array<number>(n).fill(1);
  for (let s = 0; s < steps; s++) {
    const mid = lo.map((l, i) => (l + hi[i]) / 2);
    const c = crossed(mid);
    for (let i = 0; i < n; i++) if (ok[i]) (c[i] ? (hi[i] = mid[i]) : (lo[i] = mid[i]));
  }
  const t = hi.map((h, i) => (ok[i] ? h : 1));
  const xb = tf.tidy(() => x.add(xBoundary.sub(x).mul(tf.tensor1d(t).reshape([n, ...ones]))));
  return { xBoundary: xb, t };
}
