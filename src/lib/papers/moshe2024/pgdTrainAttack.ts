/**
 * The PGD attack (rl.attacks.pgdSync) as the callback
 * train.fitAdversarial expects: Madry et al. (2018, arXiv 1706.06083) adversarial training,
 *   x_adv = Proj_{B_inf(x, eps)}( x + alpha sign(grad_x CE(f(x), y)) ) iterated `steps` times from a
 * random start, clipped to [0, 1]; alpha = 2.5 eps / steps. The step's seed drives the random start.
 * With `rampSteps` = R the budget grows linearly over the first R training steps,
 * eps_t = eps min(1, t / R) (t = 1, 2, ... counted over epochs with `stepsPerEpoch`): a warm-up that
 * keeps a small network from collapsing to a constant output early in adversarial training.
 *
 * @example
 *   await train.fitAdversarial(model, data, { attack: pgdTrainAttack({ eps: 0.1, steps: 5 }), epochs: 4 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { pgdSync } from '../../attacks/pgd';
import type { AttackFn } from '../../train';

export interface PgdTrainAttackOptions {
  eps: number;
  /** PGD iterations (default 5). */
  steps?: number;
  /** Step size relative to eps (default 2.5 / steps). */
  relStepSize?: number;
  /** Linear eps warm-up over this many training steps (default 0: none); needs stepsPerEpoch. */
  rampSteps?: number;
  stepsPerEpoch?: number;
}

/** The budget at a training step: eps min(1, t / rampSteps), t = (epoch - 1) stepsPerEpoch + step. */
export function rampedEps(eps: number, epoch: number, step: number, rampSteps = 0, stepsPerEpoch = 0): number {
  if (!(rampSteps > 0)) return eps;
  const t = (epoch - 1) * stepsPerEpoch + step;
  return eps * Math.min(1, t / rampSteps);
}

export function pgdTrainAttack(options: PgdTrainAttackOptions): AttackFn {
  checkOptions('pgdTrainAttack', options, ['eps', 'steps', 'relStepSize', 'rampSteps', 'stepsPerEpoch']);
  const { eps, steps = 5, relStepSize, rampSteps = 0, stepsPerEpoch = 0 } = options;
  if (!(eps > 0)) throw new Error(`pgdTrainAttack: eps must be > 0, got ${eps}.`);
  if (rampSteps > 0 && !(Number.isInteger(stepsPerEpoch) && stepsPerEpoch > 0)) throw new Error('pgdTrainAttack: rampSteps needs stepsPerEpoch (a positive integer).');
  return (model, x, y, ctx) => {
    const epsT = rampedEps(eps, ctx.epoch, ctx.step, rampSteps, stepsPerEpoch);
    if (epsT <= 0) return tf.clone(x);
    return pgdSync(model, x, y as tf.Tensor, { eps: epsT, steps, relStepSize, seed: ctx.seed, norm: 'linf' }, 'pgdTrainAttack').xAdv;
  };
}
