/**
 * A control for P4's alignment measurement (arXiv 2103.11257, Sec. 3; ours, not the authors'):
 * cos(grad at x, boundary normal at x') mixes two things, how smooth the model is and how far x'
 * is. A robust model's boundary is farther, so its normal is measured farther from x even if its
 * gradient field is just as smooth. This measures the smoothness alone, at one radius r for every
 * model, along the direction towards each image's own boundary point:
 *
 *   u_i = (x'_i - x_i) / ||x'_i - x_i||,   s_i(r) = cos( grad z_c(x_i), grad z_c(clip(x_i + r u_i)) )
 *
 * The paper's mechanism (robust => smoother boundaries => gradients aligned with nearby normals)
 * predicts a higher s(r) for robust models at the same r. NaN where no boundary point was found or
 * x' = x (already across). For a linear model s = 1 at every r.
 *
 * @example
 *   const s = await gradientStability(model, x, b.xBoundary, { radius: 0.18, classes: preds, found: b.found });
 *   s.cosine; s.nUndefined;
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import type { Model } from '../../engine';
import { saliency } from '../../explain';
import { cosineSimilarity } from '../../metrics';

export interface GradientStabilityOptions {
  /** The common radius r (L2, > 0). */
  radius: number;
  /** Class c per example (the model's decision at x). */
  classes: number[];
  /** Per example: was a boundary point found (default all true). */
  found?: boolean[];
  /** Valid input range for the shifted point (default [0, 1]; null = no clipping). */
  range?: [number, number] | null;
  batchSize?: number;
}

export interface GradientStabilityResult {
  /** s_i(r) per example (NaN where undefined). */
  cosine: number[];
  /** Mean over the defined examples. */
  value: number;
  nUndefined: number;
}

export async function gradientStability(model: Model, x: tf.Tensor, xBoundary: tf.Tensor, options: GradientStabilityOptions): Promise<GradientStabilityResult> {
  const where = 'gradientStability';
  checkOptions(where, options, ['radius', 'classes', 'found', 'range', 'batchSize']);
  const { radius, classes, range = [0, 1], batchSize = 64 } = options;
  if (x.shape.join() !== xBoundary.shape.join()) throw new Error(`${where}: xBoundary [${xBoundary.shape}] must be shaped like x [${x.shape}].`);
  if (!(Number.isFinite(radius) && radius > 0)) throw new Error(`${where}: radius must be a positive number, got ${radius}.`);
  const n = x.shape[0];
  if (classes.length !== n) throw new Error(`${where}: ${classes.length} classes for ${n} examples.`);
  const found = options.found ?? new Array<boolean>(n).fill(true);
  if (found.length !== n) throw new Error(`${where}: found has ${found.length} entries for ${n} examples.`);
  const rows = [n, ...new Array<number>(x.rank - 1).fill(1)];
  const len = tf.tidy(() => tf.sub(xBoundary, x).reshape([n, -1]).norm('euclidean', 1));
  const lens = Array.from(len.dataSync());
  const xs = tf.tidy(() => {
    const d = tf.sub(xBoundary, x);
    const u = d.div(len.maximum(1e-12).reshape(rows));
    const p = x.add(u.mul(radius));
    return range ? p.clipByValue(range[0], range[1]) : p;
  });
  len.dispose();
  const g0 = (await saliency(model, x, { target: classes, batchSize })).map;
  const g1 = (await saliency(model, xs, { target: classes, batchSize })).map;
  try {
    const c = cosineSimilarity(g0, g1).perExample as number[];
    const cosine = c.map((v, i) => (found[i] && lens[i] > 0 && Number.isFinite(v) ? v : NaN));
    const ok = cosine.filter(Number.isFinite);
    return { cosine, value: ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN, nUndefined: n - ok.length };
  } finally {
    tf.dispose([xs, g0, g1]);
  }
}
