/**
 * Minimal-norm boundary search of P4 (Wang, Fredrikson & Datta 2022, arXiv 2103.11257; code
 * github.com/zifanw/boundary): L2 PGD over growing budgets, keeping per example the smallest
 * budget whose attack crosses the decision boundary,
 *
 *   eps*(x) = min { eps in epsilons : argmax f(PGD_eps(x)) != y },   x' = PGD_eps*(x)
 *
 * optionally also C&W-L2, keeping whichever point is closer to x. Examples already across the
 * boundary get eps = 0 and x' = x. Where no budget succeeds, found = false, eps = NaN and
 * xBoundary holds the attempt at the largest budget: flagged, never hidden.
 * Pass y = null to search the boundary of the model's own decision (P4 practice).
 *
 * @example
 *   const b = await boundarySearch(model, x, null, { useCW: true });
 *   b.found; b.eps; b.xBoundary.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions } from '../engine';
import type { Model } from '../engine';
import {
  checkInput,
  chunkRanges,
  perturbationSizes,
  probeModel,
  resolveClassLoss,
  resolveThreshold,
} from './common';
import { cwL2 } from './cwL2';
import type { CwL2Options } from './cwL2';
import { isAdversarial } from './isAdversarial';
import { planPgd, runPgd } from './pgd';
import type { Labels, Range } from './types';

/** P4's default list of L2 budgets. */
export const BOUNDARY_EPSILONS = [36 / 255, 64 / 255, 0.3, 0.5, 0.7, 0.9, 1.1];

export interface BoundarySearchOptions {
  /** L2 budgets, tried in ascending order (default BOUNDARY_EPSILONS). */
  epsilons?: number[];
  /** PGD steps per budget (default 40). */
  steps?: number;
  relStepSize?: number;
  /** Random start inside each ball (default true). */
  randomStart?: boolean;
  restarts?: number;
  seed?: number;
  /** 'ce' (default) or 'bce' (sigmoid detector). */
  loss?: 'ce' | 'bce';
  threshold?: number;
  /** Valid input range (default [0, 1]); null for none. */
  range?: Range;
  mask?: tf.Tensor;
  batchSize?: number;
  /** Also run C&W-L2 and keep the closer point (default false). */
  useCW?: boolean;
  /** Options for C&W-L2 (range, loss, threshold, mask, batchSize are shared). */
  cwOptions?: Omit<CwL2Options, 'range' | 'loss' | 'threshold' | 'mask' | 'batchSize' | 'target'>;
}

export interface BoundarySearchResult {
  xBoundary: tf.Tensor;
  /** Smallest successful budget (0 if already across, the C&W distance if C&W won); NaN where none. */
  eps: number[];
  found: boolean[];
  /** Which search supplied the point. */
  method: ('clean' | 'pgd' | 'cw' | 'none')[];
  l2: number[];
  linf: number[];
  snrDb: number[];
}

const KNOWN = ['epsilons', 'steps', 'relStepSize', 'randomStart', 'restarts', 'seed', 'loss', 'threshold', 'range', 'mask', 'batchSize', 'useCW', 'cwOptions'];

export async function boundarySearch(model: Model, x: tf.Tensor, y: Labels, options: BoundarySearchOptions = {}): Promise<BoundarySearchResult> {
  const where = 'boundarySearch';
  checkOptions(where, options, KNOWN);
  checkInput(where, x);
  const fn = asFn(model);
  const loss = resolveClassLoss(where, options.loss);
  const threshold = resolveThreshold(where, options.threshold);
  const epsilons = [...(options.epsilons ?? BOUNDARY_EPSILONS)];
  if (epsilons.length === 0) throw new Error(`${where}: epsilons must not be empty.`);
  epsilons.forEach((e) => {
    if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0) throw new Error(`${where}: every eps must be a positive finite number, got ${e}.`);
  });
  epsilons.sort((a, b) => a - b);
  const n = x.shape[0];
  probeModel(where, fn, x);
  // y = null: the model's own decisions
  const yUse: Labels =
    y === null || y === undefined
      ? tf.tidy(() => {
          const parts = chunkRanges(n, options.batchSize).map(([s, e]) => {
            const out = fn(x.slice(s, e - s));
            return loss === 'ce' ? out.reshape([e - s, -1]).argMax(1).toFloat() : out.reshape([e - s, -1]).greater(Math.log(threshold / (1 - threshold))).toFloat();
          });
          return tf.concat(parts, 0);
        })
      : y;
  const ownY = yUse !== y;
  try {
    const pgdOpts = {
      eps: epsilons[0],
      norm: 'l2' as const,
      steps: options.steps ?? 40,
      relStepSize: options.relStepSize,
      randomStart: options.randomStart ?? true,
      restarts: options.restarts,
      seed: options.seed,
      loss,
      threshold,
      range: options.range,
      mask: options.mask,
    };
    for (const k of Object.keys(pgdOpts) as (keyof typeof pgdOpts)[]) if (pgdOpts[k] === undefined) delete pgdOpts[k];
    const { plan, lab } = planPgd(where, model, x, yUse, pgdOpts);
    const clean = await isAdversarial(model, x, lab, { loss, threshold, batchSize: options.batchSize });
    const d = x.size / n;
    const xb = x.dataSync().slice() as Float32Array;
    const eps = new Array<number>(n).fill(NaN);
    const found = clean.slice();
    const method: BoundarySearchResult['method'] = clean.map((c) => (c ? 'clean' : 'none'));
    clean.forEach((c, i) => {
      if (c) eps[i] = 0;
    });
    let remaining = clean.map((c, i) => (c ? -1 : i)).filter((i) => i >= 0);
    const maskRows = options.mask && options.mask.rank === x.rank && options.mask.shape[0] === n && n > 1;
    try {
      for (let k = 0; k < epsilons.length && remaining.length > 0; k++) {
        const idx = tf.tensor1d(remaining, 'int32');
        const xs = tf.gather(x, idx);
        const ls = tf.gather(lab, idx);
        const ms = maskRows ? tf.gather(options.mask as tf.Tensor, idx) : options.mask;
        idx.dispose();
        try {
          const r = runPgd({ ...plan, mask: ms }, xs, ls, new Array(remaining.length).fill(epsilons[k]), options.batchSize, remaining);
          const adv = r.xAdv.dataSync();
          r.xAdv.dispose();
          const last = k === epsilons.length - 1;
          remaining.forEach((i, j) => {
            if (r.success[j] || last) xb.set(adv.subarray(j * d, (j + 1) * d), i * d);
            if (r.success[j]) {
              found[i] = true;
              eps[i] = epsilons[k];
              method[i] = 'pgd';
            }
          });
          remaining = remaining.filter((i) => !found[i]);
        } finally {
          tf.dispose([xs, ls, ...(maskRows && ms ? [ms] : [])]);
        }
      }
      if (options.useCW) {
        const cw = await cwL2(model, x, lab, { ...(options.cwOptions ?? {}), loss, threshold, range: options.range, mask: options.mask, batchSize: options.batchSize });
        const adv = cw.xAdv.dataSync();
        cw.xAdv.dispose();
        const tmp = tf.tensor(xb, x.shape);
        const cur = perturbationSizes(x, tmp);
        tmp.dispose();
        for (let i = 0; i < n; i++) {
          if (clean[i] || !cw.success[i]) continue;
          if (!found[i] || cw.l2[i] < cur.l2[i]) {
            xb.set(adv.subarray(i * d, (i + 1) * d), i * d);
            found[i] = true;
            eps[i] = cw.l2[i];
            method[i] = 'cw';
          }
        }
      }
    } finally {
      lab.dispose();
    }
    const xBoundary = tf.tensor(xb, x.shape);
    return { xBoundary, eps, found, method, ...perturbationSizes(x, xBoundary) };
  } finally {
    if (ownY) (yUse as tf.Tensor).dispose();
  }
}
