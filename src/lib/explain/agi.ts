/**
 * Adversarial Gradient Integration (AGI): integrate the target's gradient along adversarial
 * paths that walk x toward false classes, and average over the false classes.
 *
 * Pan, Li, Zhu (2021), "Explaining Deep Neural Network Models with Adversarial Gradient
 * Integration", IJCAI 2021 (code github.com/pd90506/AGI). For each false class j:
 *   x_0 = x,  x_{k+1} = clip(x_k + eps * s(grad_x p_j(x_k)))          (s = sign, or g / ||g||_2)
 *   AGI_j = - sum_k grad_x p_t(x_k) * (x_{k+1} - x_k)               (stop once argmax p(x_k) = j)
 *   AGI = mean_j AGI_j      (the authors' code sums; the mean only rescales)
 * with p = softmax(f(x)) (option softmax) and t the target. AGI_j approximates
 * p_t(x) - p_t(x_end) by a left Riemann sum; `gap` reports, per example,
 *   sum(AGI) - mean_j (p_t(x) - p_t(x_end,j)).
 * All (example, false class) paths run together in batches of batchSize rows.
 *
 * @example
 *   const { map } = await agi(model, x, { target: y, nClasses: 5, eps: 0.05, steps: 20, seed: 0 });
 */
import * as tf from '@tensorflow/tfjs';
import { Model, ModelFn, Rng, checkInput, outputs2d, outputCount, positiveInt, checkedModel, rowsPerPass } from '../engine';
import { Attribution, checkMethodOptions, pickTargets, resolveTargets, TargetOptions } from './common';

export interface AgiOptions extends TargetOptions {
  /** Step size per adversarial step (default 0.05). */
  eps?: number;
  /** Maximum adversarial steps per path (default 20). */
  steps?: number;
  /** Number of random false classes per example (default min(10, outputs - 1)). */
  nClasses?: number;
  /** Explicit false classes (the target is skipped); overrides nClasses. */
  classes?: number[];
  /** Step direction: sign of the gradient (default, as the authors' code) or L2-normalised gradient. */
  step?: 'sign' | 'l2';
  /** Use softmax probabilities (default true, as the paper) or raw outputs. */
  softmax?: boolean;
  /** Clip every step to [lo, hi] (default: no clip). */
  clip?: [number, number];
  /** Seed for choosing false classes (default 0). */
  seed?: number;
  /** Rows (paths) per batch (default 64). */
  batchSize?: number;
}

export interface AgiAttribution extends Attribution {
  gap: number[];
  /** Share of each example's paths that reached their false class. */
  reached: number[];
  /** False classes used per example. */
  classes: number[][];
}

const KNOWN = ['target', 'eps', 'steps', 'nClasses', 'classes', 'step', 'softmax', 'clip', 'seed', 'batchSize'] as const;

export async function agi(model: Model, x: tf.Tensor, options: AgiOptions): Promise<AgiAttribution> {
  const where = 'agi';
  checkMethodOptions(where, options, KNOWN);
  checkInput(where, x);
  const { eps = 0.05, steps = 20, step = 'sign', softmax = true, clip, seed = 0, batchSize = 64 } = options;
  if (!(Number.isFinite(eps) && eps > 0)) throw new Error(`${where}: eps must be > 0; got ${eps}.`);
  positiveInt(where, 'steps', steps);
  positiveInt(where, 'batchSize', batchSize);
  if (step !== 'sign' && step !== 'l2') throw new Error(`${where}: unknown step "${step}"; use 'sign' or 'l2'.`);
  if (clip !== undefined && !(Array.isArray(clip) && clip.length === 2 && clip[0] < clip[1])) {
    throw new Error(`${where}: clip must be [lo, hi] with lo < hi.`);
  }
  const fn = checkedModel(where, model);
  const nOut = outputCount(where, fn, x);
  if (nOut < 2) throw new Error(`${where}: needs a classifier with at least 2 outputs; the model has ${nOut}.`);
  const targets = resolveTargets(where, options.target, x.shape[0], nOut);
  const B = x.shape[0];
  const rest = x.shape.slice(1);
  const D = x.size / B;

  const classes = falseClasses(where, targets, nOut, options, seed);
  const rowEx: number[] = [];
  const rowAdv: number[] = [];
  classes.forEach((cs, i) => cs.forEach((c) => (rowEx.push(i), rowAdv.push(c))));
  const R = rowEx.length;

  const probs: ModelFn = (xx) => (softmax ? tf.softmax(outputs2d(fn(xx))) : outputs2d(fn(xx)));
  const drop = new Float64Array(B); // sum over paths of p_t(x) - p_t(x_end)
  const reachedN = new Float64Array(B);
  const rows = rowsPerPass(where, model, x, batchSize, 'backward'); // batchSize, lowered under the memory budget
  const p0 = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let i = 0; i < B; i += rows) {
      const k = Math.min(rows, B - i);
      parts.push(pickTargets(probs(x.slice(i, k)) as tf.Tensor2D, tf.tensor1d(targets.slice(i, i + k), 'int32')));
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts);
  });
  const pStart = await p0.data();
  p0.dispose();
  let mapAcc = tf.zeros([B, D]);
  try {
    for (let r0 = 0; r0 < R; r0 += rows) {
      const k = Math.min(rows, R - r0);
      const ex = rowEx.slice(r0, r0 + k);
      const lab = tf.tensor1d(ex.map((i) => targets[i]), 'int32');
      const adv = tf.tensor1d(rowAdv.slice(r0, r0 + k), 'int32');
      let cur = tf.tidy(() => tf.gather(x, tf.tensor1d(ex, 'int32')));
      let acc = tf.zerosLike(cur);
      let active = tf.ones([k]);
      try {
        for (let s = 0; s < steps; s++) {
          const out = ascendStep({ probs, step, eps, clip, rest }, cur, acc, active, lab, adv);
          cur.dispose();
          acc.dispose();
          active.dispose();
          cur = out.next;
          acc = out.nextAcc;
          active = out.act;
          const n = (await out.nActive.data())[0];
          out.nActive.dispose();
          if (n === 0) break;
        }
        // endpoints: p_t(x_end) and whether the path reached its class
        const endT = tf.tidy(() => {
          const p = probs(cur) as tf.Tensor2D;
          return tf.stack([pickTargets(p, lab), tf.equal(p.argMax(1), adv).toFloat()]);
        });
        const end = await endT.data();
        endT.dispose();
        for (let r = 0; r < k; r++) {
          drop[ex[r]] += pStart[ex[r]] - end[r];
          reachedN[ex[r]] += end[k + r];
        }
        const next = tf.tidy(() => {
          // mean over each example's paths: one-hot assignment [B, k] @ acc [k, D]
          const w = tf.tensor2d(ex.flatMap((i) => Array.from({ length: B }, (_, b) => (b === i ? 1 / classes[i].length : 0))), [k, B]);
          return mapAcc.add(tf.matMul(w, acc.reshape([k, D]), true, false));
        });
        mapAcc.dispose();
        mapAcc = next;
      } finally {
        cur.dispose();
        acc.dispose();
        active.dispose();
        lab.dispose();
        adv.dispose();
      }
    }
  } catch (e) {
    mapAcc.dispose(); // the model threw in a later chunk
    throw e;
  }
  const map = mapAcc.reshape(x.shape);
  const sumT = mapAcc.sum(1);
  const sums = await sumT.data();
  sumT.dispose();
  mapAcc.dispose();
  const gap = Array.from(sums, (s, i) => s - drop[i] / classes[i].length);
  return { map, gap, reached: Array.from(reachedN, (r, i) => r / classes[i].length), classes };
}

/** Per example the false classes its paths head for: `classes` (minus the target) or nClasses drawn at random (seeded). */
function falseClasses(where: string, targets: number[], nOut: number, options: AgiOptions, seed: number): number[][] {
  const rng = new Rng(seed);
  const classes: number[][] = [];
  for (let i = 0; i < targets.length; i++) {
    const others = Array.from({ length: nOut }, (_, c) => c).filter((c) => c !== targets[i]);
    if (options.classes) {
      for (const c of options.classes) {
        if (!Number.isInteger(c) || c < 0 || c >= nOut) throw new Error(`${where}: class ${c} is out of range 0..${nOut - 1}.`);
      }
      classes.push(options.classes.filter((c) => c !== targets[i]));
      if (classes[i].length === 0) throw new Error(`${where}: no false class left for example ${i} (classes only hold its target).`);
    } else {
      const k = options.nClasses ?? Math.min(10, nOut - 1);
      positiveInt(where, 'nClasses', k);
      classes.push(rng.shuffle(others).slice(0, Math.min(k, others.length)));
    }
  }
  return classes;
}

interface StepPlan {
  probs: ModelFn;
  step: 'sign' | 'l2';
  eps: number;
  clip?: [number, number];
  rest: number[];
}

/**
 * One step of every active path towards its false class, and the path integral's increment:
 *   x_{k+1} = x_k + eps s(grad p_adv(x_k)),   acc -= grad p_t(x_k) (x_{k+1} - x_k).
 * A path stops once it reaches its false class.
 */
function ascendStep(plan: StepPlan, cur: tf.Tensor, acc: tf.Tensor, active: tf.Tensor, lab: tf.Tensor1D, adv: tf.Tensor1D) {
  const { probs, step, eps, clip, rest } = plan;
  const k = cur.shape[0];
  return tf.tidy(() => {
    const held: { pred?: tf.Tensor } = {};
    const gAdv = tf.grad((xx: tf.Tensor) => {
      const p = probs(xx) as tf.Tensor2D;
      held.pred = tf.keep(p.argMax(1));
      return tf.sum(pickTargets(p, adv));
    })(cur);
    const gLab = tf.grad((xx: tf.Tensor) => tf.sum(pickTargets(probs(xx) as tf.Tensor2D, lab)))(cur);
    const act = active.mul(tf.notEqual(held.pred!, adv).toFloat());
    held.pred!.dispose();
    const dir = step === 'sign' ? tf.sign(gAdv) : gAdv.div(gAdv.reshape([k, -1]).norm(2, 1).add(1e-12).reshape([k, ...rest.map(() => 1)]));
    let next = cur.add(dir.mul(act.reshape([k, ...rest.map(() => 1)])).mul(eps));
    if (clip) next = tf.clipByValue(next, clip[0], clip[1]);
    const nextAcc = acc.sub(gLab.mul(next.sub(cur)));
    return { next, nextAcc, act, nActive: act.sum() };
  });
}
