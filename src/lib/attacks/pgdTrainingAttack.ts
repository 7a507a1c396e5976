/**
 * PGD as the synchronous callback train.fitAdversarial expects: the inner maximisation of
 * adversarial training (Madry et al. 2018, arXiv 1706.06083), in the Linf or the L2 ball, on this
 * module's PGD plan (the same steps as attacks.pgd):
 *
 *   delta_{t+1} = Proj_{||delta|| <= eps}( delta_t + alpha normalize(grad_delta CE(f(x + delta_t), y)) )
 *   normalize = sign (Linf) or g / ||g||_2 (L2); alpha = relStepSize * eps (default 2.5 / steps);
 *   random start in the ball; x + delta clipped to `range` (default [0, 1]).
 *
 * Each training step draws its own random start from the loop's step seed. Labels may be class ids
 * [N] or one-hot [N, C]. With `rampSteps` = R the budget grows linearly over the first R training
 * steps, eps_t = eps min(1, t / R), t = (epoch - 1) stepsPerEpoch + step: a warm-up that keeps a
 * small network from collapsing to a constant output early in adversarial training.
 *
 * @example
 *   await train.fitAdversarial(model, data, { attack: pgdTrainingAttack({ eps: 0.1, steps: 5 }), epochs: 4 });
 *   await train.fitAdversarial(model, data, { attack: pgdTrainingAttack({ eps: 0.5, norm: 'l2' }), epochs: 5 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, positiveInt, positiveNumber } from '../engine';
import type { AttackFn } from '../train';
import { pgdSync } from './pgd';

export interface PgdTrainingAttackOptions {
  /** Budget (> 0) in the norm's units. */
  eps: number;
  /** 'linf' (default) or 'l2'. */
  norm?: 'linf' | 'l2';
  /** PGD iterations (default 5). */
  steps?: number;
  /** Step size relative to eps (default 2.5 / steps). */
  relStepSize?: number;
  /** Valid input range (default [0, 1]; null: no clipping). */
  range?: [number, number] | null;
  /** Linear eps warm-up over this many training steps (default 0: none); needs stepsPerEpoch. */
  rampSteps?: number;
  stepsPerEpoch?: number;
}

const KNOWN = ['eps', 'norm', 'steps', 'relStepSize', 'range', 'rampSteps', 'stepsPerEpoch'] as const;

/** The budget at a training step: eps min(1, t / rampSteps), t = (epoch - 1) stepsPerEpoch + step. */
export function rampedEps(eps: number, epoch: number, step: number, rampSteps = 0, stepsPerEpoch = 0): number {
  if (!(rampSteps > 0)) return eps;
  const t = (epoch - 1) * stepsPerEpoch + step;
  return eps * Math.min(1, t / rampSteps);
}

/** `where` names the caller in errors (a paper's own name for its training attack). */
export function pgdTrainingAttack(options: PgdTrainingAttackOptions, where = 'pgdTrainingAttack'): AttackFn {
  checkOptions(where, options, KNOWN);
  const { eps, norm = 'linf', steps = 5, relStepSize, range, rampSteps = 0, stepsPerEpoch = 0 } = options;
  positiveNumber(where, 'eps', eps);
  if (norm !== 'linf' && norm !== 'l2') throw new Error(`${where}: norm must be 'linf' or 'l2', got ${JSON.stringify(norm)}.`);
  positiveInt(where, 'steps', steps);
  if (rampSteps > 0 && !(Number.isInteger(stepsPerEpoch) && stepsPerEpoch > 0)) throw new Error(`${where}: rampSteps needs stepsPerEpoch (a positive integer).`);
  return (model, x, y, ctx) => {
    const epsT = rampedEps(eps, ctx.epoch, ctx.step, rampSteps, stepsPerEpoch);
    if (epsT <= 0) return tf.clone(x);
    const opts = { eps: epsT, norm, steps, seed: ctx.seed, ...(relStepSize !== undefined ? { relStepSize } : {}), ...(range !== undefined ? { range } : {}) };
    return pgdSync(model, x, y, opts, where).xAdv;
  };
}
