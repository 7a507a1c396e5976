/**
 * The one loop over perturbation budgets (Foolbox 3's `attack(model, x, criterion, epsilons)`): a
 * list of eps in; per eps the success of every example and its perturbation sizes out, the
 * adversaries handed to `onRun` (the caller keeps or disposes them). attacks.sweep and
 * boundarySearch's PGD stage run on it.
 *
 * Budgets run in ascending order. With `untilSuccess`, an example that succeeded at a smaller eps
 * is not attacked again (a point found in a small ball lies in every larger one); its entries at
 * the larger budgets stay as not run (success false, sizes NaN), and firstEps says where it
 * succeeded. `runAt(eps, ids)` attacks the examples `ids` (indices into the batch, ascending) at
 * budget eps and returns one result row per id.
 *
 * @example
 *   const b = await overBudgets([0.1, 0.3], n, (eps, ids) => pgd(model, gather(x, ids), gather(y, ids), { eps }));
 *   b.success[1][i];   // example i at eps 0.3;  b.firstEps[i]: its smallest successful eps (NaN: none)
 */
import type * as tf from '@tensorflow/tfjs';
import type { AttackResult } from './types';

export interface BudgetsResult {
  /** The budgets, ascending. */
  epsilons: number[];
  /** [budget][example]: success of that budget's own run (false where the example was not run). */
  success: boolean[][];
  /** [budget][example] sizes of that budget's own run (NaN where not run). */
  l2: number[][];
  linf: number[][];
  snrDb: number[][];
  /** Per example: the smallest budget at which it succeeded, NaN if none. */
  firstEps: number[];
}

export interface OverBudgetsOptions<R> {
  /** The examples to attack (ascending indices; default all n). */
  only?: number[];
  /** Stop attacking an example once it succeeded (default false: every example at every budget). */
  untilSuccess?: boolean;
  /** Called after each budget's run with its index into the sorted budgets, the ids run and the result (owns r.xAdv). */
  onRun?: (k: number, ids: number[], r: R) => void;
}

export async function overBudgets<R extends AttackResult>(
  epsilons: readonly number[],
  n: number,
  runAt: (eps: number, ids: number[]) => R | Promise<R>,
  options: OverBudgetsOptions<R> = {},
): Promise<BudgetsResult> {
  const eps = [...epsilons].sort((a, b) => a - b);
  const out: BudgetsResult = { epsilons: eps, success: [], l2: [], linf: [], snrDb: [], firstEps: new Array<number>(n).fill(NaN) };
  let ids = options.only ? options.only.slice() : Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < eps.length; k++) {
    const row = { success: new Array<boolean>(n).fill(false), l2: new Array<number>(n).fill(NaN), linf: new Array<number>(n).fill(NaN), snrDb: new Array<number>(n).fill(NaN) };
    if (ids.length > 0) {
      const r = await runAt(eps[k], ids);
      if (r.success.length !== ids.length) {
        (r.xAdv as tf.Tensor | undefined)?.dispose();
        throw new Error(`overBudgets: the attack returned ${r.success.length} results for ${ids.length} examples at eps ${eps[k]}.`);
      }
      ids.forEach((i, j) => {
        row.success[i] = r.success[j];
        row.l2[i] = r.l2[j];
        row.linf[i] = r.linf[j];
        row.snrDb[i] = r.snrDb?.[j] ?? NaN;
        if (r.success[j] && Number.isNaN(out.firstEps[i])) out.firstEps[i] = eps[k];
      });
      if (options.onRun) options.onRun(k, ids, r);
      else r.xAdv.dispose();
      if (options.untilSuccess) ids = ids.filter((i) => Number.isNaN(out.firstEps[i]));
    }
    out.success.push(row.success);
    out.l2.push(row.l2);
    out.linf.push(row.linf);
    out.snrDb.push(row.snrDb);
  }
  return out;
}

export interface SuccessByBudget {
  /** [budget][example]: the example is adversarial within that budget. */
  success: boolean[][];
  /** Per budget: share of examples adversarial within it. */
  successRate: number[];
  /** Per budget: share neither adversarial before the attack nor within the budget. */
  robustAccuracy: number[];
}

/**
 * Per-budget success from each example's smallest successful budget, or from the distance of its
 * closest adversary (a minimal-norm attack's result), as Foolbox turns a minimisation attack into
 * success per epsilon:
 *   success_k(i) = d_i <= eps_k   (d_i NaN: no adversary found),
 *   robustAccuracy_k = (1/N) sum_i [not alreadyAdversarial_i] [not success_k(i)].
 * Budgets keep the order given. attacks.sweep (d = overBudgets' firstEps) and P4's boundary table
 * (d = the boundary distance) read their robust accuracy from here.
 *
 * @example
 *   successByBudget([0.1, NaN, 0.3], [0.2, 0.5], [false, false, true]).robustAccuracy  // [1/3, 1/3]
 */
export function successByBudget(d: readonly number[], epsilons: readonly number[], alreadyAdversarial: readonly boolean[]): SuccessByBudget {
  const n = d.length;
  if (alreadyAdversarial.length !== n) throw new Error(`successByBudget: ${n} distances but ${alreadyAdversarial.length} clean flags.`);
  const out: SuccessByBudget = { success: [], successRate: [], robustAccuracy: [] };
  for (const eps of epsilons) {
    const s = d.map((v) => v <= eps);
    out.success.push(s);
    out.successRate.push(s.filter(Boolean).length / n);
    out.robustAccuracy.push(s.filter((v, i) => !v && !alreadyAdversarial[i]).length / n);
  }
  return out;
}
