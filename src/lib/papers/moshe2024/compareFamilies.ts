/**
 * Paired comparisons between model families on the same test images and seeds: for a pair (a, b),
 * a method and a metric, d_j = value_a(j) - value_b(j) over units j = (seed, image) where both are
 * defined; paired t-test (stats.pairedTTest) and Wilcoxon signed-rank (stats.wilcoxonSignedRank),
 * two-sided; Holm's adjustment over every test in the call (t-test p-values). `better` says
 * whether a beats b in the metric's own direction (meta.higherIsBetter).
 *
 * @example
 *   compareFamilies(records, [['PGD-AT', 'standard'], ['AS λ=0.03', 'PGD-AT']])
 *   // [{ a: 'PGD-AT', b: 'standard', method: 'saliency', metric: 'energyInMask', meanDiff, p, pWilcoxon, pHolm, better, n }, ...]
 */
import { holm, pairedTTest, wilcoxonSignedRank } from '../../stats';
import { METHODS, METRICS, METRIC_META } from './interpretabilityScores';
import { ScoreRecord } from './scoreRecords';

export interface Comparison {
  a: string;
  b: string;
  method: string;
  metric: string;
  n: number;
  meanA: number;
  meanB: number;
  meanDiff: number;
  t: number;
  p: number;
  pWilcoxon: number;
  pHolm: number;
  /** a is better than b in the metric's direction (by the mean difference). */
  better: boolean;
}

/** Wilcoxon p, or 1 when every difference is zero (nothing to rank). */
function wilcoxonP(d: number[]): number {
  if (d.every((v) => v === 0)) return 1;
  try {
    return wilcoxonSignedRank(d).p;
  } catch {
    return NaN;
  }
}

export function compareFamilies(records: ScoreRecord[], pairs: [string, string][]): Comparison[] {
  const index = new Map<string, number>();
  for (const r of records) index.set(`${r.family}|${r.method}|${r.metric}|${r.seed}|${r.image}`, r.value);
  const families = new Set(records.map((r) => r.family));
  const units = [...new Set(records.map((r) => `${r.seed}|${r.image}`))];
  const out: Comparison[] = [];
  for (const [a, b] of pairs) {
    for (const f of [a, b]) if (!families.has(f)) throw new Error(`compareFamilies: no records for family "${f}" (have: ${[...families].join(', ')}).`);
    for (const method of METHODS) {
      for (const metric of METRICS) {
        const xa: number[] = [];
        const xb: number[] = [];
        for (const u of units) {
          const va = index.get(`${a}|${method}|${metric}|${u}`);
          const vb = index.get(`${b}|${method}|${metric}|${u}`);
          if (va !== undefined && vb !== undefined && Number.isFinite(va) && Number.isFinite(vb)) {
            xa.push(va);
            xb.push(vb);
          }
        }
        const n = xa.length;
        const mA = n ? xa.reduce((s, v) => s + v, 0) / n : NaN;
        const mB = n ? xb.reduce((s, v) => s + v, 0) / n : NaN;
        const d = xa.map((v, i) => v - xb[i]);
        const constant = d.every((v) => v === d[0]);
        const tt = n >= 2 && !constant ? pairedTTest(xa, xb) : { t: NaN, p: constant && n >= 2 && d[0] === 0 ? 1 : NaN };
        const hib = METRIC_META[metric].higherIsBetter;
        out.push({
          a, b, method, metric, n, meanA: mA, meanB: mB, meanDiff: mA - mB, t: tt.t, p: tt.p, pWilcoxon: n >= 1 ? wilcoxonP(d) : NaN,
          pHolm: NaN, better: hib ? mA > mB : mA < mB,
        });
      }
    }
  }
  holm(out.map((c) => c.p)).forEach((p, i) => (out[i].pHolm = p));
  return out;
}
