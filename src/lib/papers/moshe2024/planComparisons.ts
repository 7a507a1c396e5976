/**
 * Which family pairs §7 of the P3 notebook compares, from the families and the models kept after
 * the collapse flags: claim 1 pairs every kept adversarially trained family with standard training;
 * claim 2 pairs every kept regularised family with every kept robust one; regularised vs standard
 * is compared too (shown, not part of a claim). A family is kept when at least one of its seeds was
 * not flagged; families with every seed flagged are `lost` (a claim left with no pair is 'not tested').
 *
 * @example
 *   const plan = planComparisons(fams, synthModels, costs.excluded);
 *   plan.claim1 // [['PGD-AT', 'standard'], ['TRADES', 'standard']]
 */
import type { Family } from './families';
import type { TrainedFamily } from './trainFamily';

export interface ComparisonPlan {
  /** Claim 1: [robust, 'standard'] per kept robust family (empty when standard is lost). */
  claim1: [string, string][];
  /** Claim 2: [regularised, robust] per kept pair. */
  claim2: [string, string][];
  /** Every pair compared: claim 1, claim 2, then [regularised, 'standard']. */
  pairs: [string, string][];
  /** Families whose every model is flagged. */
  lost: string[];
}

export function planComparisons(fams: Family[], models: TrainedFamily[], excluded: { family: string; seed: number }[]): ComparisonPlan {
  const kept = (label: string) => models.some((m) => m.family.label === label && !excluded.some((f) => f.family === label && f.seed === m.seed));
  const robust = fams.filter((f) => f.group === 'robust' && kept(f.label)).map((f) => f.label);
  const regularised = fams.filter((f) => f.group === 'regularised' && kept(f.label)).map((f) => f.label);
  const stdKept = kept('standard');
  const claim1 = stdKept ? robust.map((r): [string, string] => [r, 'standard']) : [];
  const claim2 = regularised.flatMap((a) => robust.map((r): [string, string] => [a, r]));
  return {
    claim1, claim2,
    pairs: [...claim1, ...claim2, ...(stdKept ? regularised.map((a): [string, string] => [a, 'standard']) : [])],
    lost: fams.filter((f) => !kept(f.label)).map((f) => f.label),
  };
}
