/**
 * Paired comparisons between model families with the TEST IMAGE as the statistical unit.
 * The same test images are scored under every seed, so (seed, image) pairs are not independent;
 * each family's value of an image is first averaged over that family's seeds (the models kept),
 *   v_f(j) = mean_{s in seeds(f), value finite} value_f(s, j),
 * then for a pair (a, b), a method and a metric: d_j = v_a(j) - v_b(j) over the images j where
 * both are defined; paired t-test (stats.pairedTTest, df = n_images - 1) and Wilcoxon signed-rank
 * (stats.wilcoxonSignedRank), two-sided; Holm's adjustment over every test in the call (t-test
 * p-values). `better` says whether a beats b in the metric's own direction (meta.higherIsBetter).
 * Records of excluded models (e.g. collapsed ones, see flagCollapsed) are left out before averaging:
 * pass them as `exclude` ("family|seed" keys or {family, seed}).
 *
 * @example
 *   compareFamilies(records, [['PGD-AT', 'standard'], ['AS λ=0.03', 'PGD-AT']], { exclude: [{ family: 'TRADES', seed: 1 }] })
 *   // [{ a: 'PGD-AT', b: 'standard', method: 'saliency', metric: 'energyInMask', n: 200, seedsA: 2, seedsB: 2, meanDiff, p, pWilcoxon, pHolm, better }, ...]
 */
import { checkOptions } from '../../engine';
import { holm, pairedTTest, wilcoxonSignedRank } from '../../stats';
import { METHODS, METRICS, METRIC_META } from './interpretabilityScores';
import { ScoreRecord } from './scoreRecords';

export interface Comparison {
  a: string;
  b: string;
  method: string;
  metric: string;
  /** Independent units of the test: images with a value for both families (after seed averaging). */
  n: number;
  /** Seeds averaged per image for a and for b (models kept after exclusion). */
  seedsA: number;
  seedsB: number;
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

export interface CompareFamiliesOptions {
  /** Models left out: "family|seed" keys or { family, seed }. */
  exclude?: (string | { family: string; seed: number })[];
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

/**
 * Per-image means over seeds of one family, method and metric: image -> mean of its finite values,
 * and the seeds that contributed. Records are matched by image id, never by position.
 */
export function imageMeans(records: ScoreRecord[], family: string, method: string, metric: string): { values: Map<number, number>; seeds: number[] } {
  const sums = new Map<number, [number, number]>();
  const seeds = new Set<number>();
  for (const r of records) {
    if (r.family !== family || r.method !== method || r.metric !== metric) continue;
    seeds.add(r.seed);
    if (!Number.isFinite(r.value)) continue;
    const s = sums.get(r.image) ?? [0, 0];
    s[0] += r.value;
    s[1] += 1;
    sums.set(r.image, s);
  }
  const values = new Map<number, number>();
  for (const [img, [s, k]] of sums) values.set(img, s / k);
  return { values, seeds: [...seeds].sort((x, y) => x - y) };
}

export function compareFamilies(records: ScoreRecord[], pairs: [string, string][], options: CompareFamiliesOptions = {}): Comparison[] {
  checkOptions('compareFamilies', options, ['exclude']);
  const ex = new Set((options.exclude ?? []).map((e) => (typeof e === 'string' ? e : `${e.family}|${e.seed}`)));
  const kept = ex.size ? records.filter((r) => !ex.has(`${r.family}|${r.seed}`)) : records;
  const families = new Set(records.map((r) => r.family));
  const keptFamilies = new Set(kept.map((r) => r.family));
  const out: Comparison[] = [];
  for (const [a, b] of pairs) {
    for (const f of [a, b]) {
      if (!families.has(f)) throw new Error(`compareFamilies: no records for family "${f}" (have: ${[...families].join(', ')}).`);
      if (!keptFamilies.has(f)) throw new Error(`compareFamilies: every model of family "${f}" is excluded; leave the pair out (its claim is 'not tested').`);
    }
    for (const method of METHODS) {
      for (const metric of METRICS) {
        const A = imageMeans(kept, a, method, metric);
        const B = imageMeans(kept, b, method, metric);
        const xa: number[] = [];
        const xb: number[] = [];
        for (const [img, va] of A.values) {
          const vb = B.values.get(img);
          if (vb !== undefined) {
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
          a, b, method, metric, n, seedsA: A.seeds.length, seedsB: B.seeds.length, meanA: mA, meanB: mB, meanDiff: mA - mB, t: tt.t, p: tt.p,
          pWilcoxon: n >= 1 ? wilcoxonP(d) : NaN, pHolm: NaN, better: hib ? mA > mB : mA < mB,
        });
      }
    }
  }
  holm(out.map((c) => c.p)).forEach((p, i) => (out[i].pHolm = p));
  return out;
}
