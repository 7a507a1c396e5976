/**
 * P4's central measurement (arXiv 2103.11257, Sec. 3): how well the input gradient at x aligns
 * with the normal of the nearest decision boundary,
 *
 *   cos_i = < grad_x z_c(x_i), n(x'_i) > / (||grad_x z_c(x_i)|| ||n(x'_i)||),   c = the model's class at x_i
 *
 * with n from boundaryNormal and x' from attacks.boundarySearch. Also reports the cosine with the
 * direction x_i - x'_i (for a minimal-norm boundary point this is the normal too). Examples whose
 * search found no boundary point, or that were already misclassified (x' = x), get NaN: they are
 * counted, not hidden.
 *
 * @example
 *   const a = await gradientNormalAlignment(model, x, b.xBoundary, { found: b.found, classes: preds });
 *   a.cosine; a.nUndefined;
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../../engine';
import type { Model } from '../../engine';
import { saliency } from '../../explain';
import { cosineSimilarity } from '../../metrics';
import { boundaryNormal } from './boundaryNormal';

export interface AlignmentOptions {
  /** Per example: was a boundary point found (from boundarySearch). Default: all true. */
  found?: boolean[];
  /** Class c per example (default: the model's prediction at x). */
  classes?: number[];
  batchSize?: number;
}

export interface AlignmentResult {
  /** cos(grad at x, boundary normal at x') per example (NaN where undefined). */
  cosine: number[];
  /** cos(grad at x, x - x') per example (NaN where undefined). */
  cosineDirection: number[];
  /** Mean over the defined examples. */
  value: number;
  /** Examples left out (no boundary point, or x' = x). */
  nUndefined: number;
}

export async function gradientNormalAlignment(model: Model, x: tf.Tensor, xBoundary: tf.Tensor, options: AlignmentOptions = {}): Promise<AlignmentResult> {
  const where = 'gradientNormalAlignment';
  checkOptions(where, options, ['found', 'classes', 'batchSize']);
  if (x.shape.join() !== xBoundary.shape.join()) throw new Error(`${where}: xBoundary [${xBoundary.shape}] must be shaped like x [${x.shape}].`);
  const n = x.shape[0];
  const found = options.found ?? new Array<boolean>(n).fill(true);
  if (found.length !== n) throw new Error(`${where}: found has ${found.length} entries for ${n} examples.`);
  const batchSize = options.batchSize ?? 64;
  const fn = asFn(model);
  const classes =
    options.classes ??
    tf.tidy(() => Array.from(fn(x).reshape([n, -1]).argMax(1).dataSync()));
  const g = (await saliency(model, x, { target: classes, batchSize })).map;
  const nrm = boundaryNormal(model, xBoundary, classes, { batchSize });
  const dir = tf.sub(x, xBoundary);
  try {
    const c1 = cosineSimilarity(g, nrm).perExample as number[];
    const c2 = cosineSimilarity(g, dir).perExample as number[];
    const keep = (v: number, i: number) => (found[i] && Number.isFinite(v) ? v : NaN);
    const cosine = c1.map(keep);
    const cosineDirection = c2.map(keep);
    const ok = cosine.filter(Number.isFinite);
    return { cosine, cosineDirection, value: ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN, nUndefined: n - ok.length };
  } finally {
    tf.dispose([g, nrm, dir]);
  }
}
