/**
 * The P3 verdicts as data (stats.Claim rows, conventions 15), from the paired comparisons: the
 * verdict per (pair, attribution method) cell (claimVerdicts: majority of the six metrics, Holm
 * p < 0.05) for claim 1's pairs, and for claim 2's only when the regulariser met its precondition
 * (§3: activation sensitivity at least cfg.train.minSensitivityDrop lower than standard); then one
 * Claim row per claim (claimSummary). A claim left with no cell is 'not tested', with why.
 *
 * @example
 *   const verdicts = cellVerdicts(comparisons, plan, { regulariserOk: reg.sensitivityOk });
 *   report.showClaims(claims(verdicts, plan, { regulariserOk: reg.sensitivityOk, excluded: costs.excludedText }));
 */
import type { Claim } from '../../stats';
import { claimSummary, claimVerdicts } from './claimVerdicts';
import type { VerdictRow } from './claimVerdicts';
import type { Comparison } from './compareFamilies';
import { CLAIMS } from './config';
import type { ComparisonPlan } from './planComparisons';

/** Verdict rows per (pair, method) cell of both claims (claim 2's only when the regulariser met its precondition). */
export function cellVerdicts(comparisons: Comparison[], plan: ComparisonPlan, o: { regulariserOk: boolean }): VerdictRow[] {
  return [
    ...(plan.claim1.length ? claimVerdicts(comparisons, { claim: CLAIMS.robustMoreInterpretable, pairs: plan.claim1 }) : []),
    ...(plan.claim2.length && o.regulariserOk ? claimVerdicts(comparisons, { claim: CLAIMS.regularisedMoreInterpretable, pairs: plan.claim2 }) : []),
  ];
}

/** One Claim row per claim of the paper; `excluded` lists the flagged models (with their reasons) under every claim. */
export function claims(verdicts: VerdictRow[], plan: ComparisonPlan, o: { regulariserOk: boolean; excluded: string[] }): Claim[] {
  const why = `every model of ${plan.lost.join(', ')} is flagged (see §5)`;
  return claimSummary(verdicts, {
    excluded: o.excluded,
    untested: [
      { claim: CLAIMS.robustMoreInterpretable, why },
      { claim: CLAIMS.regularisedMoreInterpretable, why: o.regulariserOk ? why : 'the regulariser did not lower the activation sensitivity enough (§3): its precondition failed' },
    ],
  });
}
