/**
 * The evidence the P4 claims are checked on, gathered from the notebook's steps: per rung whether
 * it passed the masking checks (and why not), the authors' boundary distance (NaN where no
 * boundary was found), the alignment cosines (and, when given, cos(SM, BSM) per image), the localisation energies, and the standard model's
 * BIG-vs-IG energies.
 *
 * @example
 *   const rows = claims(collectEvidence(ladder, masking, bnd, align, attr, bas), { minN: 30 });
 */
import type { P4Evidence } from './claims';

export function collectEvidence(
  ladder: { name: string; eps: number }[],
  masking: { passed: boolean[]; failures: string[][] },
  bnd: { searches: { l2Search: number[] }[] },
  align: { cosine: Record<string, number[]>; matched?: Record<string, number[]>; radius?: number },
  attr: { energy: Record<string, Record<string, number[]>> },
  bas: { energy: Record<string, Record<string, number[]>> },
  agree?: { smBsm: Record<string, number[]> },
): P4Evidence {
  if (masking.passed.length !== ladder.length || bnd.searches.length !== ladder.length) {
    throw new Error(`collectEvidence: ${ladder.length} rungs but ${masking.passed.length} masking results and ${bnd.searches.length} searches.`);
  }
  const std = ladder[0]?.name;
  if (!bas.energy[std]) throw new Error(`collectEvidence: no baseline energies for the standard model "${std}".`);
  return {
    rungs: ladder.map((m, i) => ({ name: m.name, eps: m.eps, passed: masking.passed[i], failures: masking.failures[i] })),
    distance: Object.fromEntries(ladder.map((m, i) => [m.name, bnd.searches[i].l2Search])),
    alignment: align.cosine,
    ...(align.matched ? { alignmentMatched: { radius: align.radius ?? NaN, cosine: align.matched } } : {}),
    energy: attr.energy,
    baselineEnergy: bas.energy[std],
    ...(agree ? { agreement: agree.smBsm } : {}),
  };
}
