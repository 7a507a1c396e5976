/**
 * P1's untargeted attack on a regressor (Hoedt, Flexer & Widmer 2025, arXiv 2508.03780): gradient
 * ascent on the MSE between predictions and labels with Adam on delta, the gradient replaced by
 * its sign, keeping delta at the last crossing of a falling correlation threshold.
 *
 *   ascend   L(delta) = mean_k (f(x + delta)_k - y_k)^2      Adam(lr = 0.002) on sign(grad L)
 *   r_t      = Pearson correlation of f(x + delta_t) and y across the K outputs of one example
 *              (per example: in the authors' code, per song across its 8 emotions)
 *   tau_0    = ceil(10 r_0) / 10; at step t, if r_t <= tau (and tau >= -0.9):
 *              keep delta_t, tau <- tau - 0.1  (at most one drop per step)
 *   result   = the last kept delta (the first keep happens at t = 0 with delta = 0).
 *
 * `clip: 'code'` reproduces the authors' code, whose intended clip of delta to +-0.001 is a no-op:
 * delta is unbounded. `clip: 'bounded'` projects delta onto the Linf ball of radius eps (default
 * 0.001) after every step. Success = the kept delta is from a later step than 0, i.e. the
 * correlation fell through at least one threshold below its starting grid value.
 * Extras per example: MAE before/after and its change, correlation before/after, the step of the
 * last crossing, SNR = 20 log10(||x|| / ||delta||) in the input (spectrogram) domain, and
 * `predLast`: the model's outputs at the LAST iterate, f(x + delta_{T-1}) (the prediction the last
 * step evaluated, before its update), which is what the authors log and analyse as new-pred
 * (adversary/attacker.py, compute_untargeted_adversary), while their adversarial example is the
 * kept delta (corrFinal / maeAdv above are at the kept delta).
 *
 * @example
 *   const r = await regressionAttack(model, x, y, { steps: 1000 });           // as in the code
 *   const b = await regressionAttack(model, x, y, { clip: 'bounded', eps: 1e-3 });
 *   const s = regressionAttackSync(model, x, y, { steps: 50 });                // inside a training callback
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions, checkInput, checkNumbers, rowsPerPass } from '../engine';
import type { Model, ModelFn } from '../engine';
import { attackInChunks, Adam, clipDelta, gradWithAux, toTensor, whereRows, checkAttackSetup } from './common';
import { perturbationSizes } from './perturbationSizes';
import { prepareLabels } from './losses';
import type { AttackResult, Labels, Range } from './types';

export interface RegressionAttackOptions {
  /** Iterations (default 1000). */
  steps?: number;
  /** Adam learning rate (default 0.002). */
  lr?: number;
  /** 'code' (default: unbounded, as the authors' code behaves) or 'bounded' (Linf ball of radius eps). */
  clip?: 'code' | 'bounded';
  /** Linf bound for clip 'bounded' (default 0.001, the clip the authors intended). */
  eps?: number;
  /** Lowest threshold (default -0.9). */
  minThreshold?: number;
  /** Valid input range (default null: a normalised spectrogram has none). */
  range?: Range;
  mask?: tf.Tensor;
  batchSize?: number;
}

export interface RegressionAttackResult extends AttackResult {
  snrDb: number[];
  maeClean: number[];
  maeAdv: number[];
  /** maeAdv - maeClean. */
  maeChange: number[];
  corrClean: number[];
  corrFinal: number[];
  /** Step at which the kept delta was taken (0 = unchanged input). */
  keptStep: number[];
  /** Per example, the model's outputs (flattened) at the last iterate x + delta_{T-1}: the authors' new-pred. */
  predLast: number[][];
}

const KNOWN = ['steps', 'lr', 'clip', 'eps', 'minThreshold', 'range', 'mask', 'batchSize'];

/** Per-example Pearson correlation across the outputs: [N] (NaN where either side is constant). */
export function rowPearson(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const n = a.shape[0];
    const ac = a.reshape([n, -1]).sub(a.reshape([n, -1]).mean(1, true));
    const bc = b.reshape([n, -1]).sub(b.reshape([n, -1]).mean(1, true));
    return ac.mul(bc).sum(1).div(ac.square().sum(1).mul(bc.square().sum(1)).sqrt());
  }) as tf.Tensor1D;
}

interface Plan {
  fn: ModelFn;
  steps: number;
  lr: number;
  bounded: boolean;
  eps: number;
  minK: number;
  range: Range;
}

function chunk(plan: Plan, x: tf.Tensor, y: tf.Tensor, mask?: tf.Tensor) {
  const n = x.shape[0];
  const { fn } = plan;
  const r0 = tf.tidy(() => rowPearson(fn(x), y).dataSync());
  // thresholds in tenths as integers: tau = k / 10, avoids drift from repeated subtraction of 0.1
  const k0 = Array.from(r0).map((r) => (Number.isNaN(r) ? plan.minK - 1 : Math.ceil(10 * r - 1e-9)));
  let k: tf.Tensor = tf.tensor1d(k0);
  let delta: tf.Tensor = tf.zerosLike(x);
  let kept: tf.Tensor = tf.zerosLike(x);
  let keptStep: tf.Tensor = tf.zeros([n]);
  const adam = new Adam(plan.lr);
  let predLast: number[][] = [];
  try {
    for (let t = 0; t < plan.steps; t++) {
      const { grad, aux } = gradWithAux<{ pred: tf.Tensor }>((d, keep) => {
        const pred = fn(x.add(d));
        keep({ pred });
        return pred.sub(y).square().mean() as tf.Scalar;
      }, delta);
      const [nk, nKept, nStep, nDelta] = tf.tidy(() => {
        const r = rowPearson(aux.pred, y);
        const hit = tf.logicalAnd(r.lessEqual(k.div(10)), k.greaterEqual(plan.minK));
        const nk = tf.where(hit, k.sub(1), k);
        const nKept = whereRows(hit, delta, kept);
        const nStep = tf.where(hit, tf.fill([n], t), keptStep);
        // ascent: delta <- delta + Adam(sign(grad))
        let g = tf.sign(grad);
        if (mask) g = g.mul(mask);
        let d = delta.add(adam.step(g));
        if (plan.bounded) d = d.clipByValue(-plan.eps, plan.eps);
        if (mask) d = d.mul(mask);
        const dd = clipDelta(x, d, plan.range);
        return [nk, nKept, nStep, dd];
      });
      if (t === plan.steps - 1) predLast = tf.tidy(() => aux.pred.reshape([n, -1]).arraySync() as number[][]);
      tf.dispose([grad, aux.pred, k, kept, keptStep, delta]);
      k = nk;
      kept = nKept;
      keptStep = nStep;
      delta = nDelta;
    }
    const xAdv = tf.tidy(() => x.add(kept));
    const stats = tf.tidy(() => {
      const pc = fn(x);
      const pa = fn(xAdv);
      const mae = (p: tf.Tensor) => p.sub(y).abs().reshape([n, -1]).mean(1);
      return [mae(pc), mae(pa), rowPearson(pc, y), rowPearson(pa, y)].map((s) => Array.from(s.dataSync()));
    }) as unknown as number[][];
    return { xAdv, maeClean: stats[0], maeAdv: stats[1], corrClean: stats[2], corrFinal: stats[3], keptStep: Array.from(keptStep.dataSync()), predLast };
  } finally {
    adam.dispose();
    tf.dispose([k, delta, kept, keptStep]);
  }
}

/** The same attack, synchronously (for training callbacks such as fitAdversarial's `attack`, which must be synchronous). */
export function regressionAttackSync(model: Model, x: tf.Tensor, y: Labels, options: RegressionAttackOptions = {}): RegressionAttackResult {
  const where = 'regressionAttack';
  checkOptions(where, options, KNOWN);
  checkInput(where, x);
  const fn = asFn(model);
  const clip = options.clip ?? 'code';
  if (clip !== 'code' && clip !== 'bounded') throw new Error(`${where}: clip must be 'code' (unbounded, as the authors' code) or 'bounded', got ${JSON.stringify(clip)}.`);
  if (options.eps !== undefined && clip !== 'bounded') throw new Error(`${where}: eps only applies with clip: 'bounded' (the 'code' variant is unbounded).`);
  const minThreshold = options.minThreshold ?? -0.9;
  if (!(minThreshold >= -1 && minThreshold <= 1)) throw new Error(`${where}: minThreshold must lie in [-1, 1], got ${minThreshold}.`);
  const plan: Plan = {
    fn,
    steps: options.steps ?? 1000,
    lr: options.lr ?? 0.002,
    bounded: clip === 'bounded',
    eps: options.eps ?? 0.001,
    minK: Math.round(minThreshold * 10),
    range: options.range === undefined ? null : options.range,
  };
  checkNumbers(where, { steps: [plan.steps, 'int'], lr: [plan.lr, 'positive'], eps: [plan.eps, 'positive'] });
  const outShape = checkAttackSetup(where, fn, x, plan.range, options.mask);
  const n = x.shape[0];
  if (outShape.reduce((a, b) => a * b, 1) < 2) throw new Error(`${where}: the per-example correlation needs at least 2 outputs per example; the model returns [N, ${outShape}].`);
  const lab = prepareLabels(where, 'mse', toTensor(where, y, 'y'), outShape, n);
  let r;
  try {
    const rows = rowsPerPass(where, model, x, options.batchSize ?? n, 'backward'); // lowered under the memory budget
    r = attackInChunks(x, lab, options.mask, rows, (xs, ys, ms) => {
      const c = chunk(plan, xs, ys, ms);
      return { ...c, predLast: c.predLast as unknown as number[] }; // rows, concatenated per chunk like the per-example numbers
    }, ['maeClean', 'maeAdv', 'corrClean', 'corrFinal', 'keptStep', 'predLast'] as const);
  } finally {
    lab.dispose();
  }
  const { xAdv, ...rest } = r;
  const { predLast, ...acc } = rest as Record<'maeClean' | 'maeAdv' | 'corrClean' | 'corrFinal' | 'keptStep', number[]> & { predLast: number[][] };
  const sizes = perturbationSizes(x, xAdv);
  return {
    xAdv,
    success: acc.keptStep.map((s) => s > 0),
    ...sizes,
    ...acc,
    predLast,
    maeChange: acc.maeAdv.map((m, i) => m - acc.maeClean[i]),
  };
}

export async function regressionAttack(model: Model, x: tf.Tensor, y: Labels, options: RegressionAttackOptions = {}): Promise<RegressionAttackResult> {
  return regressionAttackSync(model, x, y, options);
}
