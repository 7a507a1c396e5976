/**
 * The family table: per (family, method, metric) the mean over seeds and images, a 95% confidence
 * interval, and the spread over seeds.
 *   per image:  v_i = mean over seeds of the image's value (the test images are the same for every seed)
 *   mean = mean_i v_i;  CI = percentile bootstrap over images of mean_i v_i (stats.bootstrapCI, seeded);
 *   seed CI = t-based over the per-seed means (mean +- t_{0.975, S-1} sd / sqrt(S)), NaN for one seed.
 * NaN values (undefined for an image, e.g. an all-zero map) are left out.
 *
 * @example
 *   const rows = summariseFamilies(records, { seed: 1 });
 *   rows[0] // { family, method, metric, mean, lo, hi, seedLo, seedHi, seedSd, nImages, nSeeds, higherIsBetter }
 */
import { bootstrapCI, mean, std, studentTQuantile } from '../../stats';
import { METRIC_META } from './interpretabilityScores';
import { ScoreRecord } from './scoreRecords';

export interface FamilySummary {
  family: string;
  group: string;
  method: string;
  metric: string;
  mean: number;
  lo: number;
  hi: number;
  seedLo: number;
  seedHi: number;
  seedSd: number;
  nImages: number;
  nSeeds: number;
  higherIsBetter: boolean;
}

/** Group records by a key function, keeping first-seen order. */
export function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(r);
  }
  return m;
}

export function summariseFamilies(records: ScoreRecord[], options: { seed?: number; n?: number } = {}): FamilySummary[] {
  const out: FamilySummary[] = [];
  for (const rows of groupBy(records, (r) => `${r.family}|${r.method}|${r.metric}`).values()) {
    const { family, group, method, metric } = rows[0];
    const ok = rows.filter((r) => Number.isFinite(r.value));
    const perImage = [...groupBy(ok, (r) => String(r.image)).values()].map((g) => mean(g.map((r) => r.value)));
    const perSeed = [...groupBy(ok, (r) => String(r.seed)).values()].map((g) => mean(g.map((r) => r.value)));
    const m = perImage.length ? mean(perImage) : NaN;
    const ci = perImage.length > 1 ? bootstrapCI(perImage, { seed: options.seed ?? 0, n: options.n ?? 2000 }) : { lo: NaN, hi: NaN };
    const S = perSeed.length;
    const sd = S > 1 ? std(perSeed) : NaN;
    const half = S > 1 ? studentTQuantile(0.975, S - 1) * sd / Math.sqrt(S) : NaN;
    const sm = S ? mean(perSeed) : NaN;
    out.push({
      family, group, method, metric, mean: m, lo: ci.lo, hi: ci.hi, seedLo: sm - half, seedHi: sm + half, seedSd: sd,
      nImages: perImage.length, nSeeds: S, higherIsBetter: METRIC_META[metric as keyof typeof METRIC_META]?.higherIsBetter ?? true,
    });
  }
  return out;
}
