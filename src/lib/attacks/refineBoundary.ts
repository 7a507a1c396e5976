/**
 * Move adversarial points onto the decision boundary by bisection along the segment from x to the
 * point found (an attack at a fixed budget usually overshoots the boundary). With s(.) the attack's
 * success criterion (argmax f != y for 'ce', every sigmoid decision flipped for 'bce'):
 *
 *   invariant: s(x + t_lo (x' - x)) false, s(x + t_hi (x' - x)) true;  t_lo = 0, t_hi = 1 at the start
 *   each halving moves t_lo or t_hi to the midpoint;  x'' = x + t_hi (x' - x)   (so s(x'') holds)
 *
 * After k halvings x'' lies within 2^-k ||x' - x|| of a crossing of the segment (the first one
 * where the segment crosses once, as it does for a locally linear boundary). Rows where s(x') does not hold (no adversary to refine) keep x' and get t = 1.
 * Not in P4's code (arXiv 2103.11257, github.com/zifanw/boundary keeps the attack's point); our
 * addition so that the boundary point is on the boundary.
 *
 * @example
 *   const r = refineBoundary(model, x, xAdv, y, { steps: 12 });   r.t; r.xBoundary.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions, checkInput, positiveInt, probeModel, rowsPerPass } from '../engine';
import type { Model } from '../engine';
import { chunkRanges, resolveClassLoss, resolveThreshold, batchRows, toTensor } from './common';
import { successTensor } from './isAdversarial';
import type { CriterionSpec } from './isAdversarial';
import { prepareLabels } from './losses';
import type { Labels } from './types';

export interface RefineBoundaryOptions {
  /** Bisection halvings (default 12). */
  steps?: number;
  /** 'ce' (default) or 'bce'. */
  loss?: 'ce' | 'bce';
  threshold?: number;
  batchSize?: number;
}

export interface RefineBoundaryResult {
  /** The refined points (caller disposes). */
  xBoundary: tf.Tensor;
  /** Where on the segment x -> x' each refined point lies (1: not refined). */
  t: number[];
}

export function refineBoundary(model: Model, x: tf.Tensor, xAdv: tf.Tensor, y: Labels, options: RefineBoundaryOptions = {}): RefineBoundaryResult {
  const where = 'refineBoundary';
  checkOptions(where, options, ['steps', 'loss', 'threshold', 'batchSize']);
  checkInput(where, x);
  if (!(xAdv instanceof tf.Tensor) || xAdv.shape.join() !== x.shape.join()) throw new Error(`${where}: xAdv must be a tensor shaped like x [${x.shape}].`);
  const steps = options.steps ?? 12;
  positiveInt(where, 'steps', steps);
  const spec: CriterionSpec = { loss: resolveClassLoss(where, options.loss), targeted: false, threshold: resolveThreshold(where, options.threshold) };
  const fn = asFn(model);
  const n = x.shape[0];
  const outShape = probeModel(where, fn, x);
  const rows = rowsPerPass(where, model, x, options.batchSize ?? n, 'forward'); // lowered under the memory budget
  const lab = prepareLabels(where, spec.loss, toTensor(where, y, 'y'), outShape, n, 'y');
  const ones = x.shape.slice(1).map(() => 1);
  const at = (t: number[], s: number, e: number) => x.slice(s, e - s).add(xAdv.slice(s, e - s).sub(x.slice(s, e - s)).mul(tf.tensor1d(t.slice(s, e)).reshape([e - s, ...ones])));
  const adversarial = (t: number[]): boolean[] => {
    const out: boolean[] = [];
    for (const [s, e] of chunkRanges(n, rows)) {
      const v = tf.tidy(() => {
        const xt = at(t, s, e);
        return successTensor(spec, fn(xt), batchRows(lab, s, e, n, lab.rank), xt).dataSync();
      });
      v.forEach((b) => out.push(Boolean(b)));
    }
    return out;
  };
  try {
    const ok = adversarial(new Array(n).fill(1));
    const lo = new Array<number>(n).fill(0);
    const hi = new Array<number>(n).fill(1);
    for (let k = 0; k < steps; k++) {
      const mid = lo.map((l, i) => (l + hi[i]) / 2);
      adversarial(mid).forEach((c, i) => {
        if (ok[i]) (c ? (hi[i] = mid[i]) : (lo[i] = mid[i]));
      });
    }
    const t = hi.map((h, i) => (ok[i] ? h : 1));
    const parts = chunkRanges(n, rows).map(([s, e]) => tf.tidy(() => at(t, s, e)));
    const xBoundary = parts.length === 1 ? parts[0] : tf.concat(parts);
    if (parts.length > 1) tf.dispose(parts);
    return { xBoundary, t };
  } finally {
    lab.dispose();
  }
}
