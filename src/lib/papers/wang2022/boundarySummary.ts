/**
 * One model's row of the boundary table (P4, arXiv 2103.11257): how far the decision boundary is
 * and how often the search found no boundary point (reported, not hidden), plus the robust
 * accuracy the search implies. With eps*_i the smallest budget at which the search crossed the
 * boundary (NaN where it never did) and correct_i whether x_i is classified correctly:
 *
 *   robustAcc(r) = (1/N) sum_i correct_i [eps*_i > r]       for r in the search's budget list
 *
 * (not found counts as robust at every budget searched). This equals PGD robust accuracy at r with
 * the search's steps, since PGD at every budget below eps*_i failed for example i.
 *
 * @example
 *   boundarySummary(b, correct, { budgets: [0.25, 0.5, 1] })
 *   // { n: 64, found: 60, notFound: 4, medianL2: 0.41, meanL2: 0.47, robustAcc: { 0.25: 0.8, ... } }
 */
import { checkOptions } from '../../engine';
import { median } from '../../stats';

export interface BoundarySummary {
  n: number;
  found: number;
  notFound: number;
  /** Median / mean L2 distance ||x - x'|| over examples with a boundary point. */
  medianL2: number;
  meanL2: number;
  /** Robust accuracy per budget (keys as given). */
  robustAcc: Record<string, number>;
}

export function boundarySummary(
  search: { found: boolean[]; eps: number[]; l2: number[] },
  correct: boolean[],
  options: { budgets?: number[] } = {},
): BoundarySummary {
  const where = 'boundarySummary';
  checkOptions(where, options, ['budgets']);
  const n = search.found.length;
  if (search.eps.length !== n || search.l2.length !== n || correct.length !== n) {
    throw new Error(`${where}: found, eps, l2 and correct must have one entry per example (${n}).`);
  }
  const l2 = search.l2.filter((_, i) => search.found[i]);
  const robustAcc: Record<string, number> = {};
  for (const r of options.budgets ?? []) {
    let k = 0;
    for (let i = 0; i < n; i++) if (correct[i] && (!search.found[i] || search.eps[i] > r)) k++;
    robustAcc[String(r)] = n ? k / n : NaN;
  }
  return {
    n,
    found: l2.length,
    notFound: n - l2.length,
    medianL2: l2.length ? median(l2) : NaN,
    meanL2: l2.length ? l2.reduce((a, b) => a + b, 0) / l2.length : NaN,
    robustAcc,
  };
}
