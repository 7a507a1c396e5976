/**
 * Run one attack over a list of budgets in one call (Foolbox 3 style): per budget the success
 * rate, robust accuracy and per-example sizes.
 *
 * An adversarial point found at a smaller eps also lies inside every larger ball, so success is
 * reported cumulatively over the budgets sorted ascending (successByBudget on the first eps at
 * which each example succeeded):
 *   success_k(i) = OR_{j <= k} rawSuccess_j(i),   robustAccuracy_k = mean_i !(clean_i || success_k(i))
 * where clean_i says x_i already meets the criterion (e.g. is misclassified). Robust accuracy is
 * therefore non-increasing in eps. rawSuccessRate keeps each budget's own run.
 *
 * The loop over budgets is attacks' overBudgets (shared with boundarySearch).
 *
 * @example
 *   const s = await sweep(pgd, model, x, y, { epsilons: [0, 0.05, 0.1], steps: 10, seed: 0 });
 *   s.robustAccuracy;   // one number per eps
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../engine';
import { isAdversarial } from './isAdversarial';
import { overBudgets, successByBudget } from './overBudgets';
import type { Attack, AttackResult, Labels } from './types';

export interface SweepResult {
  /** The budgets, sorted ascending. */
  epsilons: number[];
  /** Share of examples meeting the criterion before any attack. */
  cleanAccuracy: number;
  /** Per budget: cumulative share of successfully attacked examples. */
  successRate: number[];
  /** Per budget: share of examples successful in that budget's own run. */
  rawSuccessRate: number[];
  /** Per budget: share neither wrong on clean input nor successfully attacked up to that budget. */
  robustAccuracy: number[];
  /** [budget][example] cumulative success. */
  success: boolean[][];
  /** [budget][example] sizes of that budget's own run. */
  l2: number[][];
  linf: number[][];
  snrDb: number[][];
}

const CRITERION_KEYS = ['loss', 'target', 'success', 'threshold', 'batchSize'] as const;

export async function sweep<O extends { eps?: number | number[] }>(
  attack: Attack<O, AttackResult>,
  model: Model,
  x: tf.Tensor,
  y: Labels,
  options: Omit<O, 'eps'> & { epsilons: number[] },
): Promise<SweepResult> {
  if (typeof attack !== 'function') throw new Error('sweep: attack must be an attack function such as pgd or fgsm.');
  const { epsilons, ...rest } = options ?? ({} as typeof options);
  if (!Array.isArray(epsilons) || epsilons.length === 0) throw new Error('sweep: options.epsilons must be a non-empty array of budgets.');
  epsilons.forEach((e) => {
    if (typeof e !== 'number' || !Number.isFinite(e) || e < 0) throw new Error(`sweep: every eps must be a finite number >= 0, got ${e}.`);
  });
  if ('eps' in (rest as object)) throw new Error('sweep: give the budgets as epsilons, not eps.');
  const crit: Record<string, unknown> = {};
  for (const k of CRITERION_KEYS) if ((rest as Record<string, unknown>)[k] !== undefined) crit[k] = (rest as Record<string, unknown>)[k];
  const clean = await isAdversarial(model, x, y, crit);
  const n = clean.length;
  const b = await overBudgets(epsilons, n, (e) => attack(model, x, y, { ...(rest as object), eps: e } as unknown as O));
  const at = successByBudget(b.firstEps, b.epsilons, clean);
  return {
    epsilons: b.epsilons,
    cleanAccuracy: clean.filter((c) => !c).length / n,
    successRate: at.successRate,
    rawSuccessRate: b.success.map((raw) => raw.filter(Boolean).length / n),
    robustAccuracy: at.robustAccuracy,
    success: at.success,
    l2: b.l2,
    linf: b.linf,
    snrDb: b.snrDb,
  };
}
