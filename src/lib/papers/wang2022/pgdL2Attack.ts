/**
 * The training attack of the robustness ladder: L2 PGD (Madry et al. 2018, arXiv 1706.06083) as a
 * synchronous callback for train.fitAdversarial, built on the attacks module's PGD plan:
 *
 *   delta_{t+1} = Proj_{||delta||_2 <= eps}( delta_t + alpha g_t / ||g_t||_2 ),  g_t = grad_delta CE(f(x + delta_t), y)
 *   alpha = relStepSize * eps (default 2.5 / steps), random start in the ball, x + delta clipped to [0, 1].
 *
 * Each training step gets its own random start from the loop's step seed.
 *
 * @example
 *   await train.fitAdversarial(model, data, { attack: pgdL2Attack({ eps: 0.5, steps: 5 }), epochs: 5 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { pgdSync } from '../../attacks/pgd';
import type { AttackFn } from '../../train';

export interface PgdL2AttackOptions {
  /** L2 budget (> 0). */
  eps: number;
  /** PGD iterations (default 5). */
  steps?: number;
  /** Step size relative to eps (default 2.5 / steps). */
  relStepSize?: number;
  /** Valid input range (default [0, 1]). */
  range?: [number, number] | null;
}

export function pgdL2Attack(options: PgdL2AttackOptions): AttackFn {
  const where = 'pgdL2Attack';
  checkOptions(where, options, ['eps', 'steps', 'relStepSize', 'range']);
  const { eps, steps = 5, relStepSize, range } = options;
  if (!(Number.isFinite(eps) && eps > 0)) throw new Error(`${where}: eps must be a positive number, got ${eps}.`);
  return (model, x, y, ctx) => {
    // labels: one-hot [N, C] or class ids [N]; PGD takes ids
    const ids = tf.tidy(() => (y.rank === 2 ? y.argMax(1).toFloat() : y.toFloat()));
    try {
      const opts = { eps, norm: 'l2' as const, steps, seed: ctx.seed, ...(relStepSize !== undefined ? { relStepSize } : {}), ...(range !== undefined ? { range } : {}) };
      return pgdSync(model, x, ids, opts, where).xAdv;
    } finally {
      ids.dispose();
    }
  };
}
