/**
 * Minimal-norm boundary search of P4 (Wang, Fredrikson & Datta 2022, arXiv 2103.11257; their code
 * github.com/zifanw/boundary, boundary/core.py get_boundary_points / take_closer_bd, defaults in
 * boundary/default.py: 'PGDs+CW'). Per example:
 *
 *   1. L2 PGD over growing budgets: eps_pgd(x) = min { eps in epsilons : argmax f(PGD_eps(x)) != y }
 *   2. C&W-L2 (useCW): keep its point if it succeeds and is closer to x than PGD's
 *   3. the closest success x' (l2Search = ||x - x'||, the authors' distance);
 *   4. refine > 0 (our addition): bisection along [x, x'] onto the boundary (refineBoundary).
 *
 * Examples already across the boundary get eps = 0 and x' = x. Where nothing succeeds, found =
 * false, eps = NaN and xBoundary holds the attempt at the largest budget: reported, never imputed.
 * Pass y = null to search the boundary of the model's own decision.
 *
 * How ours differs from their code: PGD's step is relStepSize * eps (default 2.5 / steps, Madry et
 * al.), theirs is Foolbox's rel_stepsize = 2 eps / steps, an absolute step of 2 eps^2 / steps, which
 * cannot reach the sphere of radius eps within the steps when eps < 0.5; a C&W success counts at any
 * distance (theirs: only within L2 1.0, Foolbox's epsilons=[1.0]); examples where nothing succeeds
 * are flagged (theirs: the failed attempt is kept as the boundary point).
 *
 * @example
 *   const b = await boundarySearch(model, x, null, { useCW: true, refine: 12 });
 *   b.found; b.l2Search; b.l2; b.xBoundary.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions, checkInput, probeModel, rowsPerPass } from '../engine';
import type { Model } from '../engine';
import { chunkRanges, resolveClassLoss, resolveThreshold } from './common';
import { perturbationSizes } from './perturbationSizes';
import { cwL2 } from './cwL2';
import type { CwL2Options } from './cwL2';
import { isAdversarial } from './isAdversarial';
import { overBudgets } from './overBudgets';
import { planPgd, runPgd } from './pgd';
import type { PgdPlan } from './pgd';
import { refineBoundary } from './refineBoundary';
import type { Labels, Range } from './types';

/** P4's default list of L2 budgets (their boundary/default.py). */
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
  /** Also run C&W-L2 and keep the closer point (default false; P4's default pipeline uses it). */
  useCW?: boolean;
  /** Options for C&W-L2 (range, loss, threshold, mask, batchSize are shared). */
  cwOptions?: Omit<CwL2Options, 'range' | 'loss' | 'threshold' | 'mask' | 'batchSize' | 'target'>;
  /** Bisection halvings moving the closest success onto the boundary (default 0: the point as found). */
  refine?: number;
}

export interface BoundarySearchResult {
  /** The boundary point per example (refined when refine > 0); caller disposes. */
  xBoundary: tf.Tensor;
  /** Smallest successful PGD budget (0 if already across, the C&W distance if C&W won); NaN where none. */
  eps: number[];
  found: boolean[];
  /** Which search supplied the point. */
  method: ('clean' | 'pgd' | 'cw' | 'none')[];
  /** ||x - x'|| of the closest success before refinement (the authors' distance); NaN where none. */
  l2Search: number[];
  /** Position of the refined point on the segment x -> closest success (1 = not refined). */
  t: number[];
  /** Sizes of xBoundary - x (for misses: of the largest attempt). */
  l2: number[];
  linf: number[];
  snrDb: number[];
}

const KNOWN = ['epsilons', 'steps', 'relStepSize', 'randomStart', 'restarts', 'seed', 'loss', 'threshold', 'range', 'mask', 'batchSize', 'useCW', 'cwOptions', 'refine'];

/** The search's running state: per example the point so far (flat rows), its budget, method, distance. */
interface SearchState {
  xb: Float32Array;
  d: number;
  eps: number[];
  found: boolean[];
  method: BoundarySearchResult['method'];
  l2: number[];
}

export async function boundarySearch(model: Model, x: tf.Tensor, y: Labels, options: BoundarySearchOptions = {}): Promise<BoundarySearchResult> {
  const where = 'boundarySearch';
  checkOptions(where, options, KNOWN);
  checkInput(where, x);
  const loss = resolveClassLoss(where, options.loss);
  const threshold = resolveThreshold(where, options.threshold);
  const epsilons = checkEpsilons(where, options.epsilons ?? BOUNDARY_EPSILONS);
  const refine = options.refine ?? 0;
  if (!Number.isInteger(refine) || refine < 0) throw new Error(`${where}: refine must be an integer >= 0 (bisection halvings), got ${refine}.`);
  probeModel(where, asFn(model), x);
  // rows per chunk of every pass below: batchSize (default the whole batch), lowered under the memory budget
  const batchSize = rowsPerPass(where, model, x, options.batchSize ?? x.shape[0], 'backward');
  options = { ...options, batchSize };
  const yUse = y === null || y === undefined ? ownDecisions(model, x, loss, threshold, options.batchSize) : y;
  try {
    const pgdOpts = {
      eps: epsilons[0], norm: 'l2' as const, steps: options.steps ?? 40, relStepSize: options.relStepSize, randomStart: options.randomStart ?? true,
      restarts: options.restarts, seed: options.seed, loss, threshold, range: options.range, mask: options.mask,
    };
    for (const k of Object.keys(pgdOpts) as (keyof typeof pgdOpts)[]) if (pgdOpts[k] === undefined) delete pgdOpts[k];
    const { plan, lab } = planPgd(where, model, x, yUse, pgdOpts);
    let st: SearchState;
    try {
      const clean = await isAdversarial(model, x, lab, { loss, threshold, batchSize: options.batchSize });
      st = await pgdOverBudgets(plan, x, lab, clean, epsilons, options);
      if (options.useCW) await closerCw(model, x, lab, clean, st, { ...(options.cwOptions ?? {}), loss, threshold, range: options.range, mask: options.mask, batchSize: options.batchSize });
    } finally {
      lab.dispose();
    }
    const found = tf.tensor(st.xb, x.shape);
    const l2Search = st.l2.map((v, i) => (st.found[i] ? v : NaN));
    if (refine === 0) return { xBoundary: found, eps: st.eps, found: st.found, method: st.method, l2Search, t: new Array(st.eps.length).fill(1), ...perturbationSizes(x, found) };
    try {
      const r = refineBoundary(model, x, found, yUse, { steps: refine, loss, threshold, batchSize: options.batchSize });
      return { xBoundary: r.xBoundary, eps: st.eps, found: st.found, method: st.method, l2Search, t: r.t, ...perturbationSizes(x, r.xBoundary) };
    } finally {
      found.dispose();
    }
  } finally {
    if (yUse !== y) (yUse as tf.Tensor).dispose();
  }
}

function checkEpsilons(where: string, list: number[]): number[] {
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${where}: epsilons must be a non-empty list of L2 budgets.`);
  list.forEach((e) => {
    if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0) throw new Error(`${where}: every eps must be a positive finite number, got ${e}.`);
  });
  return [...list].sort((a, b) => a - b);
}

/** The model's own decisions as labels: argmax for 'ce', sigmoid logit > logit(threshold) for 'bce'. */
function ownDecisions(model: Model, x: tf.Tensor, loss: 'ce' | 'bce', threshold: number, batchSize?: number): tf.Tensor {
  const fn = asFn(model);
  const n = x.shape[0];
  return tf.tidy(() =>
    tf.concat(
      chunkRanges(n, batchSize).map(([s, e]) => {
        const out = fn(x.slice(s, e - s)).reshape([e - s, -1]);
        return loss === 'ce' ? out.argMax(1).toFloat() : out.greater(Math.log(threshold / (1 - threshold))).toFloat();
      }),
      0,
    ),
  );
}

/** Step 1: PGD at each budget in turn (overBudgets, untilSuccess) on the examples not yet across; the first success is kept. */
async function pgdOverBudgets(plan: PgdPlan, x: tf.Tensor, lab: tf.Tensor, clean: boolean[], epsilons: number[], options: BoundarySearchOptions): Promise<SearchState> {
  const n = x.shape[0];
  const d = x.size / n;
  const st: SearchState = {
    xb: x.dataSync().slice() as Float32Array, d, eps: clean.map((c) => (c ? 0 : NaN)), found: clean.slice(),
    method: clean.map((c) => (c ? 'clean' : 'none')), l2: new Array<number>(n).fill(0),
  };
  const maskRows = options.mask && options.mask.rank === x.rank && options.mask.shape[0] === n && n > 1;
  const runAt = (eps: number, ids: number[]) => {
    const idx = tf.tensor1d(ids, 'int32');
    const xs = tf.gather(x, idx);
    const ls = tf.gather(lab, idx);
    const ms = maskRows ? tf.gather(options.mask as tf.Tensor, idx) : options.mask;
    idx.dispose();
    try {
      // ids are the examples' places in the whole batch: their random starts do not depend on which others still run
      return runPgd({ ...plan, mask: ms }, xs, ls, new Array(ids.length).fill(eps), options.batchSize, ids);
    } finally {
      tf.dispose([xs, ls, ...(maskRows && ms ? [ms] : [])]);
    }
  };
  const onRun = (k: number, ids: number[], r: { xAdv: tf.Tensor; success: boolean[]; l2: number[] }) => {
    const adv = r.xAdv.dataSync();
    r.xAdv.dispose();
    const last = k === epsilons.length - 1;
    ids.forEach((i, j) => {
      if (r.success[j] || last) {
        st.xb.set(adv.subarray(j * d, (j + 1) * d), i * d);
        st.l2[i] = r.l2[j];
      }
      if (r.success[j]) {
        st.found[i] = true;
        st.eps[i] = epsilons[k];
        st.method[i] = 'pgd';
      }
    });
  };
  const only = clean.map((c, i) => (c ? -1 : i)).filter((i) => i >= 0);
  await overBudgets(epsilons, n, runAt, { only, untilSuccess: true, onRun });
  return st;
}

/** Step 2: C&W-L2 on the examples not already across; its point replaces PGD's where it succeeds closer. */
async function closerCw(model: Model, x: tf.Tensor, lab: tf.Tensor, clean: boolean[], st: SearchState, cwOptions: CwL2Options): Promise<void> {
  const cw = await cwL2(model, x, lab, cwOptions);
  const adv = cw.xAdv.dataSync();
  cw.xAdv.dispose();
  const d = st.d;
  for (let i = 0; i < clean.length; i++) {
    if (clean[i] || !cw.success[i]) continue;
    if (!st.found[i] || cw.l2[i] < st.l2[i]) {
      st.xb.set(adv.subarray(i * d, (i + 1) * d), i * d);
      st.found[i] = true;
      st.eps[i] = cw.l2[i];
      st.method[i] = 'cw';
      st.l2[i] = cw.l2[i];
    }
  }
}
