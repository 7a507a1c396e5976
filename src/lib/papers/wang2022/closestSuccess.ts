/**
 * The authors' boundary point back from our refined one (P4, arXiv 2103.11257; zifanw/boundary
 * core.py keeps the closest successful adversarial point of PGD / C&W and attributes there, no
 * refinement). boundarySearch bisects towards x and reports where it stopped on the segment,
 * x'' = x + t (x' - x), so
 *
 *   x' = x + (x'' - x) / t          (t = 1, or not finite: x' = x'')
 *
 * @example
 *   const xs = closestSuccess(ev.x, s.xBoundary, s.t);   // shaped like x; caller disposes
 */
import * as tf from '@tensorflow/tfjs';

export function closestSuccess(x: tf.Tensor, xRefined: tf.Tensor, t: number[]): tf.Tensor {
  const n = x.shape[0];
  if (x.shape.join() !== xRefined.shape.join()) throw new Error(`closestSuccess: xRefined [${xRefined.shape}] must be shaped like x [${x.shape}].`);
  if (t.length !== n) throw new Error(`closestSuccess: ${t.length} positions t for ${n} examples.`);
  const inv = t.map((v) => (Number.isFinite(v) && v > 0 ? 1 / v : 1));
  return tf.tidy(() => x.add(xRefined.sub(x).mul(tf.tensor(inv, [n, ...new Array<number>(x.rank - 1).fill(1)]))));
}
