/**
 * Projected gradient descent (Madry et al. 2018, arXiv 1706.06083) in Linf or L2, untargeted or
 * targeted, with seeded random starts and restarts.
 *
 *   delta_0 ~ U(ball_eps)            (or 0 without random start)
 *   delta_{t+1} = Proj_eps( delta_t + alpha * normalize( s * grad_delta L(f(x + delta_t), y) ) )
 *   x_adv = clip_range(x + delta)      s = +1 untargeted (ascend the loss of y),
 *                                      s = -1 targeted (descend the loss of the target)
 *
 * normalize is sign(g) for Linf and g / ||g||_2 for L2 (see norms.ts); alpha = relStepSize * eps
 * (default 2.5 / steps) or an absolute stepSize. With restarts, per example the successful run is
 * kept, else the one with the highest objective s * L. A mask confines delta to a region. An SNR
 * budget (snrDb) sets eps_i = ||x_i|| 10^(-snr/20) per example (L2 only).
 *
 * @example
 *   const r = await pgd(model, x, y, { eps: 8 / 255, norm: 'linf', steps: 20, seed: 1 });
 *   r.success; r.linf; r.xAdv.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions, checkInput, positiveNumber, positiveInt, probeModel, rowsPerPass } from '../engine';
import type { Model, ModelFn } from '../engine';
import { checkMask, checkRange, chunkRanges, clipDelta, concatRows, perExample, perExampleList, resolveThreshold, batchRows, toTensor, whereRows } from './common';
import { perturbationSizes } from './perturbationSizes';
import { successTensor } from './isAdversarial';
import type { CriterionSpec } from './isAdversarial';
import { perExampleLoss, prepareLabels } from './losses';
import { resolveNorm } from './norms';
import type { Norm } from './norms';
import { snrEps } from './snrEps';
import type { AttackResult, Labels, LossSpec, Range, SuccessFn } from './types';

export interface PgdOptions {
  /** Budget: one number or one per example. Required unless snrDb is given. */
  eps?: number | number[];
  /** Budget as SNR in dB (L2 only): eps_i = ||x_i|| * 10^(-snrDb / 20). */
  snrDb?: number | number[];
  /** 'linf' (default), 'l2' or a Norm strategy. */
  norm?: 'linf' | 'l2' | Norm;
  /** Iterations (default 40). */
  steps?: number;
  /** Step size relative to eps (default 2.5 / steps). */
  relStepSize?: number;
  /** Absolute step size (overrides relStepSize). */
  stepSize?: number;
  /** Start uniformly inside the ball (default true). */
  randomStart?: boolean;
  /** Number of random restarts (default 1). */
  restarts?: number;
  /** Seed of the random starts (default 0). */
  seed?: number;
  /** Target labels (number, one per example, or tensor): makes the attack targeted. */
  target?: Labels | number;
  /** 'ce' (default), 'bce', 'mse' or (outputs, y) => [N]. */
  loss?: LossSpec;
  /** Custom success criterion (outputs, y, xAdv) => [N]. */
  success?: SuccessFn;
  /** Sigmoid decision threshold for 'bce' (default 0.5). */
  threshold?: number;
  /** Valid input range (default [0, 1]); null for none. */
  range?: Range;
  /** 0/1 tensor broadcastable to x: delta is zero where mask is 0. */
  mask?: tf.Tensor;
  /** Examples per chunk (default all). */
  batchSize?: number;
}

export interface PgdResult extends AttackResult {
  snrDb: number[];
  /** Final per-example loss L(f(xAdv), y or target). */
  loss: number[];
  /** Per-example budget used. */
  eps: number[];
}

export const PGD_OPTIONS = [
  'eps', 'snrDb', 'norm', 'steps', 'relStepSize', 'stepSize', 'randomStart', 'restarts', 'seed',
  'target', 'loss', 'success', 'threshold', 'range', 'mask', 'batchSize',
] as const;

/** Options resolved and validated once. */
export interface PgdPlan {
  fn: ModelFn;
  norm: Norm;
  steps: number;
  relStepSize?: number;
  stepSize?: number;
  randomStart: boolean;
  restarts: number;
  seed: number;
  spec: CriterionSpec;
  range: Range;
  mask?: tf.Tensor;
  needCleanLoss: boolean;
}

/** Validate everything and build the plan plus labels (caller disposes labels). */
export function planPgd(where: string, model: Model, x: tf.Tensor, y: Labels, options: PgdOptions, known: readonly string[] = PGD_OPTIONS) {
  checkOptions(where, options, known);
  checkInput(where, x);
  const fn = asFn(model);
  const norm = resolveNorm(where, options.norm);
  const steps = options.steps ?? 40;
  positiveInt(where, 'steps', steps);
  const restarts = options.restarts ?? 1;
  positiveInt(where, 'restarts', restarts);
  if (options.relStepSize !== undefined) positiveNumber(where, 'relStepSize', options.relStepSize);
  if (options.stepSize !== undefined) positiveNumber(where, 'stepSize', options.stepSize);
  const threshold = resolveThreshold(where, options.threshold);
  const range = options.range === undefined ? ([0, 1] as const) : options.range;
  checkRange(where, x, range);
  checkMask(where, options.mask, x);
  const loss = options.loss ?? 'ce';
  if (typeof loss !== 'function' && !['ce', 'bce', 'mse'].includes(loss)) throw new Error(`${where}: unknown loss ${JSON.stringify(loss)}; use 'ce', 'bce', 'mse' or a function.`);
  const n = x.shape[0];
  let eps: number[];
  if (options.snrDb !== undefined) {
    if (options.eps !== undefined) throw new Error(`${where}: give either eps or snrDb, not both.`);
    if (norm.name !== 'l2') throw new Error(`${where}: an SNR budget is an L2 budget; use norm: 'l2'.`);
    eps = snrEps(x, options.snrDb);
  } else {
    if (options.eps === undefined) throw new Error(`${where}: eps (or snrDb) is required.`);
    eps = perExampleList(where, 'eps', options.eps, n);
  }
  const targeted = options.target !== undefined;
  const outShape = probeModel(where, fn, x);
  const lab = prepareLabels(
    where,
    loss,
    toTensor(where, targeted ? (options.target as Labels) : y, targeted ? 'target' : 'y', targeted ? n : undefined),
    outShape,
    n,
    targeted ? 'target' : 'y',
  );
  const spec: CriterionSpec = { loss, targeted, success: options.success, threshold };
  const plan: PgdPlan = {
    fn,
    norm,
    steps,
    relStepSize: options.relStepSize,
    stepSize: options.stepSize,
    randomStart: options.randomStart ?? true,
    restarts,
    seed: options.seed ?? 0,
    spec,
    range,
    mask: options.mask,
    needCleanLoss: !options.success && (loss === 'mse' || typeof loss === 'function'),
  };
  return { plan, lab, eps };
}

/** PGD on one chunk (synchronous, tidy): returns xAdv, success [N] and loss [N]. */
export function pgdChunk(plan: PgdPlan, x: tf.Tensor, lab: tf.Tensor, eps: number[], ids: number[], mask?: tf.Tensor) {
  return tf.tidy(() => {
    const { fn, norm, spec } = plan;
    const n = x.shape[0];
    const s = spec.targeted ? -1 : 1;
    const epsT = perExample(tf.tensor1d(eps), x.rank);
    const alpha = plan.stepSize !== undefined ? tf.scalar(plan.stepSize) : epsT.mul(plan.relStepSize ?? 2.5 / plan.steps);
    const cleanLoss = plan.needCleanLoss ? perExampleLoss(spec.loss, fn(x), lab) : undefined;
    // s * sum_i L(f(x_i + delta_i), y_i): examples are independent, so one gradient serves all.
    const grad = tf.grad((d: tf.Tensor) => perExampleLoss(spec.loss, fn(x.add(d)), lab).sum().mul(s));
    let bestX: tf.Tensor | null = null;
    let bestSucc: tf.Tensor | null = null;
    let bestObj: tf.Tensor | null = null;
    for (let r = 0; r < plan.restarts; r++) {
      let delta = tf.tidy(() => {
        let d = plan.randomStart ? norm.randomStart(x.shape, epsT, ids, plan.seed, r) : tf.zerosLike(x);
        if (mask) d = d.mul(mask);
        return clipDelta(x, d, plan.range);
      });
      for (let t = 0; t < plan.steps; t++) {
        const next = tf.tidy(() => {
          let g = grad(delta);
          if (mask) g = g.mul(mask);
          let d = norm.project(delta.add(norm.normalizeGrad(g).mul(alpha)), epsT);
          if (mask) d = d.mul(mask);
          return clipDelta(x, d, plan.range);
        });
        delta.dispose();
        delta = next;
      }
      const xa = x.add(delta);
      delta.dispose();
      const out = fn(xa);
      const lossV = perExampleLoss(spec.loss, out, lab);
      const obj = lossV.mul(s);
      // success as float 0/1: tf.where on bool values corrupts wasm memory in tfjs 4.22
      const succ = successTensor(spec, out, lab, xa, cleanLoss).toFloat();
      if (!bestX || !bestSucc || !bestObj) {
        bestX = xa;
        bestSucc = succ;
        bestObj = obj;
      } else {
        // prefer success, then the higher objective
        const better: tf.Tensor = tf.logicalOr(succ.greater(bestSucc), tf.logicalAnd(succ.equal(bestSucc), obj.greater(bestObj)));
        bestX = whereRows(better, xa, bestX);
        bestSucc = tf.where(better, succ, bestSucc);
        bestObj = tf.where(better, obj, bestObj);
      }
    }
    return { xAdv: bestX as tf.Tensor, success: bestSucc as tf.Tensor, loss: (bestObj as tf.Tensor).mul(s) };
  });
}

/** Run a plan over chunks; ids are the examples' global indices (seeds do not depend on chunking). */
export function runPgd(plan: PgdPlan, x: tf.Tensor, lab: tf.Tensor, eps: number[], batchSize: number | undefined, ids?: number[]): PgdResult {
  const n = x.shape[0];
  const gid = ids ?? Array.from({ length: n }, (_, i) => i);
  const parts: tf.Tensor[] = [];
  const success: boolean[] = [];
  const loss: number[] = [];
  try {
    for (const [s, e] of chunkRanges(n, batchSize)) {
      const r = tf.tidy(() => {
        const m = plan.mask ? batchRows(plan.mask, s, e, n, x.rank) : undefined;
        return pgdChunk(plan, x.slice(s, e - s), batchRows(lab, s, e, n, lab.rank), eps.slice(s, e), gid.slice(s, e), m);
      });
      parts.push(r.xAdv);
      r.success.dataSync().forEach((b) => success.push(Boolean(b)));
      r.loss.dataSync().forEach((v) => loss.push(v));
      r.success.dispose();
      r.loss.dispose();
    }
  } catch (e) {
    tf.dispose(parts); // the chunks done before a later one failed
    throw e;
  }
  const xAdv = concatRows(parts);
  const sizes = perturbationSizes(x, xAdv);
  return { xAdv, success, loss, eps, ...sizes };
}

/**
 * PGD attack (Linf or L2): see the module comment for the update rule and options.
 */
export async function pgd(model: Model, x: tf.Tensor, y: Labels, options: PgdOptions = {}): Promise<PgdResult> {
  return pgdSync(model, x, y, options);
}

/**
 * The same attack, synchronously (for callbacks that must not await, such as the attack inside
 * train.fitAdversarial); `where` names the caller in error messages.
 *
 * @example
 *   const xAdv = pgdSync(model, x, labels, { eps: 0.1, steps: 5, seed: 3 }).xAdv;
 */
export function pgdSync(model: Model, x: tf.Tensor, y: Labels, options: PgdOptions = {}, where = 'pgd'): PgdResult {
  const { plan, lab, eps } = planPgd(where, model, x, y, options);
  try {
    // rows per chunk: batchSize (default the whole batch), lowered under the memory budget
    return runPgd(plan, x, lab, eps, rowsPerPass(where, model, x, options.batchSize ?? x.shape[0], 'backward'));
  } finally {
    lab.dispose();
  }
}
