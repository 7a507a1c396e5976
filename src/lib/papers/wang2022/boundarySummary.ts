/**
 * One model's row of the boundary table (P4, arXiv 2103.11257): how often the search found a
 * boundary point, how far it is, and the robust accuracy it implies. Points with no boundary found
 * are counted (foundRate) and left out of the distance statistics, never imputed. With d_i the
 * refined distance ||x_i - x''_i|| (NaN where none was found) and correct_i whether x_i is
 * classified correctly:
 *
 *   robustAcc(r) = (1/N) sum_i correct_i [not found_i or d_i > r]
 *
 * Not found counts as robust at every budget: the search (PGD up to its largest budget plus C&W)
 * crossed nowhere. Two distances are shown: the closest success (the authors' definition, their
 * boundary/core.py take_closer_bd) and the refined one (bisection onto the boundary, ours).
 *
 * @example
 *   boundarySummary(b, correct, { budgets: [0.25, 0.5, 1] })
 *   // { n: 200, found: 198, foundRate: 0.99, medianSearch: 0.41, medianRefined: 0.36, ... }
 */
import { checkOptions } from '../../engine';
import { successByBudget } from '../../attacks';
import { mean, median } from '../../stats';

export interface BoundarySummary {
  n: number;
  found: number;
  foundRate: number;
  /** Points supplied by PGD, by C&W, already misclassified. */
  byPgd: number;
  byCw: number;
  clean: number;
  /** Median / mean ||x - x'|| of the closest success (authors' definition), over found points. */
  medianSearch: number;
  meanSearch: number;
  /** Median / mean distance after refinement onto the boundary, over found points. */
  medianRefined: number;
  meanRefined: number;
  /** Robust accuracy per budget (keys as given). */
  robustAcc: Record<string, number>;
}

export function boundarySummary(
  search: { found: boolean[]; l2Search: number[]; l2: number[]; method: string[] },
  correct: boolean[],
  options: { budgets?: number[] } = {},
): BoundarySummary {
  const where = 'boundarySummary';
  checkOptions(where, options, ['budgets']);
  const n = search.found.length;
  if (search.l2Search.length !== n || search.l2.length !== n || search.method.length !== n || correct.length !== n) {
    throw new Error(`${where}: found, l2Search, l2, method and correct must have one entry per example (${n}).`);
  }
  const ds = search.l2Search.filter((_, i) => search.found[i]);
  const dr = search.l2.filter((_, i) => search.found[i]);
  const budgets = options.budgets ?? [];
  const at = successByBudget(search.l2.map((d, i) => (search.found[i] ? d : NaN)), budgets, correct.map((c) => !c));
  const robustAcc = Object.fromEntries(budgets.map((r, k) => [String(r), at.robustAccuracy[k]]));
  const count = (m: string) => search.method.filter((v) => v === m).length;
  const stat = (v: number[], f: (a: number[]) => number) => (v.length ? f(v) : NaN);
  return {
    n, found: ds.length, foundRate: n ? ds.length / n : NaN, byPgd: count('pgd'), byCw: count('cw'), clean: count('clean'),
    medianSearch: stat(ds, median), meanSearch: stat(ds, mean), medianRefined: stat(dr, median), meanRefined: stat(dr, mean),
    robustAcc,
  };
}
