/**
 * Accuracy and robust accuracy of one model over a sweep of Linf budgets (rl.attacks.sweep with
 * PGD; robust accuracy is cumulative over the budgets, so it never rises with eps), as records.
 *   robustAccuracy(eps) = mean_i [ f(x_i) = y_i  and  no x' in B_eps(x_i) found with f(x') != y_i ]
 *
 * @example
 *   const rows = await robustnessSweep(model, x, y, { epsilons: [0.05, 0.1, 0.2], steps: 10, seed: 0 });
 *   rows // [{ eps: 0, robustAccuracy: 0.97 }, { eps: 0.05, robustAccuracy: 0.61 }, ...]
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { pgd, sweep } from '../../attacks';

export interface SweepRow {
  eps: number;
  robustAccuracy: number;
}

export async function robustnessSweep(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: { epsilons: number[]; steps: number; seed?: number },
): Promise<SweepRow[]> {
  checkOptions('robustnessSweep', options, ['epsilons', 'steps', 'seed']);
  const s = await sweep(pgd, model, x, y, { epsilons: options.epsilons.filter((e) => e > 0), steps: options.steps, seed: options.seed ?? 0, norm: 'linf' });
  return [{ eps: 0, robustAccuracy: s.cleanAccuracy }, ...s.epsilons.map((eps, k) => ({ eps, robustAccuracy: s.robustAccuracy[k] }))];
}
