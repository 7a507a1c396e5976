/**
 * A second form of P4's alignment claim (arXiv 2103.11257, Sec. 3 and 5): if a model's input
 * gradient points along the normal of the nearest boundary, its attributions at x agree with their
 * boundary counterparts. Per image i, over the flat maps of attributeLadder:
 *
 *   cos(SM, BSM)_i = < grad z_c(x_i), grad z_c(x'_i) > / (||.|| ||.||)
 *   cos(IG, BIG)_i = < IG(x_i; black), IG(x_i; x'_i) > / (||.|| ||.||)
 *
 * NaN where no boundary point was found or a map is all zero (counted, never imputed). Ours: the
 * authors' code (zifanw/boundary) has no alignment evaluation, and the paper's exact definition of
 * its SM/BSM and IG/BIG comparison across robustness levels was not verified here; the first form
 * (gradientNormalAlignment: gradient at x vs the margin normal at x'') stands beside it.
 *
 * @example
 *   const g = attributionAgreement(attr.maps, ladder, bnd.searches.map((s) => s.found), cfg);
 *   g.smBsm['standard']; report.showTable(g.rows);
 */
import { meanCI } from './alignmentStep';

export interface AttributionAgreement {
  /** Per rung name: cos(saliency, BSM) per image (NaN where undefined). */
  smBsm: Record<string, number[]>;
  /** Per rung name: cos(IG black baseline, BIG) per image (NaN where undefined). */
  igBig: Record<string, number[]>;
  rows: Record<string, string | number>[];
}

/** Cosine of a and b per row of n equal-length rows; NaN where a row of either is all zero or skip[i]. */
export function rowCosines(a: Float32Array, b: Float32Array, n: number, skip: boolean[] = []): number[] {
  if (a.length !== b.length || n <= 0 || a.length % n !== 0) throw new Error(`rowCosines: two maps of ${a.length} and ${b.length} values do not split into ${n} equal rows.`);
  const d = a.length / n;
  return Array.from({ length: n }, (_, i) => {
    if (skip[i]) return NaN;
    let ab = 0, aa = 0, bb = 0;
    for (let j = i * d; j < (i + 1) * d; j++) { ab += a[j] * b[j]; aa += a[j] * a[j]; bb += b[j] * b[j]; }
    return aa > 0 && bb > 0 ? Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb))) : NaN;
  });
}

export function attributionAgreement(
  maps: Record<string, Record<string, Float32Array>>,
  rungs: { name: string; eps: number }[],
  found: boolean[][],
  cfg: { nBoot: number; seed: number },
): AttributionAgreement {
  if (found.length !== rungs.length) throw new Error(`attributionAgreement: ${rungs.length} rungs but ${found.length} found lists.`);
  const out: AttributionAgreement = { smBsm: {}, igBig: {}, rows: [] };
  rungs.forEach((r, k) => {
    const m = maps[r.name];
    if (!m || !m.saliency || !m.bsm || !m.ig || !m.big) throw new Error(`attributionAgreement: rung "${r.name}" needs the saliency, bsm, ig and big maps.`);
    const n = found[k].length;
    const skip = found[k].map((f) => !f);
    const s = rowCosines(m.saliency, m.bsm, n, skip);
    const g = rowCosines(m.ig, m.big, n, skip);
    out.smBsm[r.name] = s;
    out.igBig[r.name] = g;
    const cs = meanCI(s, cfg.nBoot, cfg.seed + 30 + k);
    const cg = meanCI(g, cfg.nBoot, cfg.seed + 40 + k);
    out.rows.push({ model: r.name, trainEps: r.eps, cosSmBsm: cs.estimate, lo: cs.lo, hi: cs.hi, cosIgBig: cg.estimate, igLo: cg.lo, igHi: cg.hi, n: cs.n, undefinedImages: n - cs.n });
  });
  return out;
}
