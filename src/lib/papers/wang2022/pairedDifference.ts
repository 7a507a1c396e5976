/**
 * A paired comparison of two methods or models on the same examples: the mean difference
 * d = mean_i (a_i - b_i) over examples where both are defined, with a percentile-bootstrap CI
 * (stats.bootstrapCI), and a three-way verdict:
 *
 *   'held' if lo > 0,   'did not hold' if hi < 0,   'inconclusive' otherwise (the CI covers 0).
 *
 * @example
 *   pairedDifference(energy.robust.saliency, energy.std.saliency, { nBoot: 2000, seed: 1 })
 *   // { diff: 0.12, lo: 0.07, hi: 0.17, n: 64, verdict: 'held' }
 */
import { checkOptions } from '../../engine';
import { bootstrapCI } from '../../stats';

export type Verdict = 'held' | 'did not hold' | 'inconclusive';

export interface PairedDifference {
  diff: number;
  lo: number;
  hi: number;
  n: number;
  verdict: Verdict;
}

export function pairedDifference(a: number[], b: number[], options: { nBoot?: number; seed?: number; level?: number } = {}): PairedDifference {
  const where = 'pairedDifference';
  checkOptions(where, options, ['nBoot', 'seed', 'level']);
  if (a.length !== b.length) throw new Error(`${where}: ${a.length} values against ${b.length}; the comparison is paired.`);
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) d.push(a[i] - b[i]);
  if (d.length === 0) return { diff: NaN, lo: NaN, hi: NaN, n: 0, verdict: 'inconclusive' };
  const ci = bootstrapCI(d, { n: options.nBoot ?? 2000, seed: options.seed ?? 0, level: options.level ?? 0.95 });
  const verdict: Verdict = ci.lo > 0 ? 'held' : ci.hi < 0 ? 'did not hold' : 'inconclusive';
  return { diff: ci.estimate, lo: ci.lo, hi: ci.hi, n: d.length, verdict };
}
