/**
 * Carlini & Wagner L2 attack (arXiv 1608.04644): change of variables into the box, a margin loss,
 * Adam, and a per-example binary search on the trade-off constant c.
 *
 *   x' = lo + (hi - lo) (tanh(w) + 1) / 2                        (tanh box; x' = x + w without a range)
 *   minimise_w  ||x' - x||_2^2 + c * f(x')
 *   f(x') = max(Z_y - max_{i != y} Z_i, -kappa)                  (untargeted)
 *   f(x') = max(max_{i != t} Z_i - Z_t, -kappa)                  (targeted)
 *   c: starts at initialConst; x10 while no success, then bisection between the largest failing
 *      and the smallest succeeding c.
 * Per example the smallest-L2 successful point over all rounds and iterations is returned; where
 * none succeeded xAdv = x and success = false. A single-logit sigmoid detector (loss 'bce') is
 * treated as two classes with logits [logit(threshold), z].
 *
 * @example
 *   const r = await cwL2(model, x, y, { steps: 200, binarySearchSteps: 5 });
 */
import * as tf from '@tensorflow/tfjs';
import { asFn, checkOptions, checkInput, checkNumbers, rowsPerPass } from '../engine';
import type { Model, ModelFn } from '../engine';
import { Adam, attackInChunks, gradWithAux, resolveClassLoss, resolveThreshold, toTensor, whereRows, checkAttackSetup } from './common';
import { perturbationSizes } from './perturbationSizes';
import { prepareLabels } from './losses';
import type { AttackResult, Labels, Range } from './types';

export interface CwL2Options {
  /** 'ce' (classifier logits [N, C], default) or 'bce' (one sigmoid logit per example). */
  loss?: 'ce' | 'bce';
  /** Target class per example (or one for all): targeted attack. */
  target?: Labels | number;
  /** Decision threshold for 'bce' (default 0.5). */
  threshold?: number;
  /** Margin kappa (default 0). */
  confidence?: number;
  /** Rounds of the search on c (default 9). */
  binarySearchSteps?: number;
  /** Adam iterations per round (default 1000; the paper uses up to 10000). */
  steps?: number;
  /** Adam learning rate (default 0.01). */
  lr?: number;
  /** First c (default 1e-3). */
  initialConst?: number;
  /** Stop a round when the loss has not fallen by 0.01% over a tenth of the steps (default true). */
  abortEarly?: boolean;
  /** Box [lo, hi] (default [0, 1]); null: no box, x' = x + w. */
  range?: Range;
  mask?: tf.Tensor;
  batchSize?: number;
}

export interface CwL2Result extends AttackResult {
  snrDb: number[];
  /** The last c tried per example. */
  c: number[];
}

const KNOWN = ['loss', 'target', 'threshold', 'confidence', 'binarySearchSteps', 'steps', 'lr', 'initialConst', 'abortEarly', 'range', 'mask', 'batchSize'];

interface CwPlan {
  fn: ModelFn;
  bce: boolean;
  zThr: number;
  targeted: boolean;
  kappa: number;
  rounds: number;
  steps: number;
  lr: number;
  c0: number;
  abortEarly: boolean;
  range: Range;
}

/** Two-or-more-class logits [N, C] from the model's outputs. */
function logitsOf(plan: CwPlan, out: tf.Tensor): tf.Tensor2D {
  const n = out.shape[0];
  if (!plan.bce) return out.reshape([n, -1]) as tf.Tensor2D;
  const z = out.reshape([n, 1]);
  return tf.concat([tf.fill([n, 1], plan.zThr), z], 1) as tf.Tensor2D;
}

function cwChunk(plan: CwPlan, x: tf.Tensor, lab: tf.Tensor, mask?: tf.Tensor) {
  const n = x.shape[0];
  const { fn, range } = plan;
  const atanhClip = 1 - 1e-6;
  const w0 = tf.tidy(() => {
    if (range === null) return tf.zerosLike(x);
    const u = x.sub(range[0]).div(range[1] - range[0]).mul(2).sub(1).clipByValue(-atanhClip, atanhClip);
    return tf.atanh(u);
  });
  const xPrime = (w: tf.Tensor) =>
    tf.tidy(() => {
      const xp = range === null ? x.add(w) : tf.tanh(w).add(1).div(2).mul(range[1] - range[0]).add(range[0]);
      return mask ? x.add(xp.sub(x).mul(mask)) : xp;
    });
  const labInt = tf.tidy(() => lab.reshape([n]).toInt());
  let bestL2sq: tf.Tensor = tf.fill([n], Infinity);
  let bestX: tf.Tensor = x.clone();
  const lower = new Array<number>(n).fill(0);
  const upper = new Array<number>(n).fill(1e10);
  const c = new Array<number>(n).fill(plan.c0);
  const adam = new Adam(plan.lr);
  const checkEvery = Math.max(1, Math.floor(plan.steps / 10));
  let returned = false;
  try {
    for (let round = 0; round < plan.rounds; round++) {
      const cT = tf.tensor1d(c);
      let w = w0.clone();
      let roundSucc: tf.Tensor = tf.zeros([n], 'bool');
      let prev = Infinity;
      adam.reset();
      let ok: Uint8Array | Float32Array | Int32Array;
      try {
        for (let t = 0; t < plan.steps; t++) {
          const { grad, aux } = gradWithAux<{ xp: tf.Tensor; z: tf.Tensor; l2sq: tf.Tensor; total: tf.Tensor }>((wv, keep) => {
            const xp = xPrime(wv);
            const z = logitsOf(plan, fn(xp));
            const onehot = tf.oneHot(labInt, z.shape[1]);
            const real = z.mul(onehot).sum(1);
            const other = z.sub(onehot.mul(1e9)).max(1);
            const margin = plan.targeted ? other.sub(real) : real.sub(other);
            const f = tf.maximum(margin, -plan.kappa);
            const l2sq = xp.sub(x).reshape([n, -1]).square().sum(1);
            const total = l2sq.add(cT.mul(f)).sum() as tf.Scalar;
            keep({ xp, z, l2sq, total });
            return total;
          }, w);
          let nextW: tf.Tensor | undefined;
          let nb: tf.Tensor, nx: tf.Tensor, ns: tf.Tensor;
          try {
            nextW = tf.tidy(() => w.sub(adam.step(grad)));
            [nb, nx, ns] = tf.tidy(() => {
              const pred = aux.z.argMax(1);
              const succ = plan.targeted ? pred.equal(labInt) : pred.notEqual(labInt);
              const improved = tf.logicalAnd(succ, aux.l2sq.less(bestL2sq));
              return [tf.where(improved, aux.l2sq, bestL2sq), whereRows(improved, aux.xp, bestX), tf.logicalOr(roundSucc, succ)];
            });
          } catch (e) {
            tf.dispose([grad, aux.xp, aux.z, aux.l2sq, aux.total, ...(nextW ? [nextW] : [])]);
            throw e;
          }
          let total = NaN;
          if (plan.abortEarly && (t + 1) % checkEvery === 0) total = aux.total.dataSync()[0];
          tf.dispose([grad, w, bestL2sq, bestX, roundSucc, aux.xp, aux.z, aux.l2sq, aux.total]);
          w = nextW;
          bestL2sq = nb;
          bestX = nx;
          roundSucc = ns;
          if (!Number.isNaN(total)) {
            if (total > prev * 0.9999) break;
            prev = total;
          }
        }
        ok = roundSucc.dataSync();
      } finally {
        tf.dispose([w, cT, roundSucc]); // also when the model throws mid-round
      }
      for (let i = 0; i < n; i++) {
        if (ok[i]) {
          upper[i] = Math.min(upper[i], c[i]);
          c[i] = (lower[i] + upper[i]) / 2;
        } else {
          lower[i] = Math.max(lower[i], c[i]);
          c[i] = upper[i] < 1e9 ? (lower[i] + upper[i]) / 2 : c[i] * 10;
        }
      }
    }
    const success = Array.from(bestL2sq.dataSync()).map((v) => Number.isFinite(v));
    returned = true;
    return { xAdv: bestX, success, c };
  } finally {
    adam.dispose();
    tf.dispose([w0, labInt, bestL2sq]);
    if (!returned) bestX.dispose();
  }
}

export async function cwL2(model: Model, x: tf.Tensor, y: Labels, options: CwL2Options = {}): Promise<CwL2Result> {
  const where = 'cwL2';
  checkOptions(where, options, KNOWN);
  checkInput(where, x);
  const fn = asFn(model);
  const loss = resolveClassLoss(where, options.loss);
  const threshold = resolveThreshold(where, options.threshold);
  const plan: CwPlan = {
    fn,
    bce: loss === 'bce',
    zThr: Math.log(threshold / (1 - threshold)),
    targeted: options.target !== undefined,
    kappa: options.confidence ?? 0,
    rounds: options.binarySearchSteps ?? 9,
    steps: options.steps ?? 1000,
    lr: options.lr ?? 0.01,
    c0: options.initialConst ?? 1e-3,
    abortEarly: options.abortEarly ?? true,
    range: options.range === undefined ? [0, 1] : options.range,
  };
  checkNumbers(where, { confidence: [plan.kappa, 'nonNegative'], binarySearchSteps: [plan.rounds, 'int'], steps: [plan.steps, 'int'], lr: [plan.lr, 'positive'], initialConst: [plan.c0, 'positive'] });
  const outShape = checkAttackSetup(where, fn, x, plan.range, options.mask);
  const n = x.shape[0];
  const per = outShape.reduce((a, b) => a * b, 1);
  if (plan.bce && per !== 1) throw new Error(`${where}: loss 'bce' needs one logit per example; the model returns [N, ${outShape}].`);
  if (!plan.bce && (outShape.length !== 1 || per < 2)) throw new Error(`${where}: loss 'ce' needs logits [N, C] with C >= 2; the model returns [N, ${outShape}].`);
  let lab = prepareLabels(where, loss, toTensor(where, plan.targeted ? (options.target as Labels) : y, plan.targeted ? 'target' : 'y', plan.targeted ? n : undefined), outShape, n, plan.targeted ? 'target' : 'y');
  if (plan.bce) {
    const b = tf.tidy(() => lab.reshape([n]).greaterEqual(0.5).toFloat());
    lab.dispose();
    lab = b;
  }
  let r;
  try {
    const rows = rowsPerPass(where, model, x, options.batchSize ?? n, 'backward'); // lowered under the memory budget
    r = attackInChunks(x, lab, options.mask, rows, (xs, ls, ms) => cwChunk(plan, xs, ls, ms), ['success', 'c'] as const);
  } finally {
    lab.dispose();
  }
  return { xAdv: r.xAdv, success: r.success as boolean[], c: r.c as number[], ...perturbationSizes(x, r.xAdv) };
}
