/**
 * Wilcoxon signed-rank test on d_i = a_i - b_i (or on a alone), as scipy.stats.wilcoxon with
 * zero_method='wilcox' (zero differences are dropped).
 *
 * Ranks r_i of |d_i| (average ranks for ties); W+ = Σ_{d_i>0} r_i, W- = Σ_{d_i<0} r_i.
 * Two-sided: W = min(W+, W-); one-sided: W = W+.
 * - exact (default when n ≤ 50 with no ties and no zeros): the null distribution of W+ is the
 *   distribution of subset sums of {1..n}, each subset with probability 2^-n (counted by dynamic
 *   programming); two-sided p = min(1, 2 P(W+ ≤ W)).
 * - normal approximation otherwise: z = (W - n(n+1)/4 - c) / σ, σ² = n(n+1)(2n+1)/24 - Σ(t³-t)/48
 *   over tie groups of size t, continuity correction c = ½ sign(W - n(n+1)/4) (option).
 *
 * @example wilcoxonSignedRank([6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75])
 *   // { W: 24, p: 0.041259765625, exact: true, n: 15, nZeros: 0 }  (Wilcoxon 1945 corn data)
 */
import { checkOptions } from '../engine';
import { Sample, toNumbers, toPaired } from './validate';
import { ranksWithTies } from './rank';
import { normalCdf } from './normalCdf';
import type { Alternative } from './tTestResult';

export interface WilcoxonOptions {
  /** 'auto' (default): exact for n ≤ 50 without ties or zeros, else 'approx'. */
  method?: 'auto' | 'exact' | 'approx';
  /** Continuity correction in the normal approximation (default true). */
  correction?: boolean;
  /** 'two-sided' (default), 'less' or 'greater' (location of a - b relative to 0). */
  alternative?: Alternative;
}

export interface WilcoxonResult {
  /** min(W+, W-) for two-sided, W+ otherwise. */
  W: number;
  /** Normalised statistic (normal approximation only). */
  z?: number;
  p: number;
  /** True when p comes from the exact null distribution. */
  exact: boolean;
  /** Number of non-zero differences used. */
  n: number;
  /** Number of zero differences dropped. */
  nZeros: number;
  /** Whether tied |d| values were present. */
  ties: boolean;
}

const EXACT_MAX_N = 50;

export function wilcoxonSignedRank(a: Sample, b?: Sample | null, options: WilcoxonOptions = {}): WilcoxonResult {
  checkOptions('wilcoxonSignedRank', options, ['method', 'correction', 'alternative']);
  const method = options.method ?? 'auto';
  const correction = options.correction ?? true;
  const alternative = options.alternative ?? 'two-sided';
  if (!['auto', 'exact', 'approx'].includes(method)) throw new Error(`wilcoxonSignedRank: unknown method "${method}"; use 'auto', 'exact' or 'approx'.`);
  if (!['two-sided', 'less', 'greater'].includes(alternative)) throw new Error(`wilcoxonSignedRank: unknown alternative "${alternative}".`);
  let d: Float64Array;
  if (b === undefined || b === null) d = toNumbers('wilcoxonSignedRank', a, 'a');
  else {
    const [x, y] = toPaired('wilcoxonSignedRank', a, b);
    d = x.map((v, i) => v - y[i]);
  }
  const nonZero = Array.from(d).filter((v) => v !== 0);
  const nZeros = d.length - nonZero.length;
  const n = nonZero.length;
  if (n === 0) throw new Error('wilcoxonSignedRank: all differences are zero; the test is undefined.');
  const { ranks, ties } = ranksWithTies(nonZero.map(Math.abs));
  let wPlus = 0;
  let wMinus = 0;
  for (let i = 0; i < n; i++) {
    if (nonZero[i] > 0) wPlus += ranks[i];
    else wMinus += ranks[i];
  }
  const W = alternative === 'two-sided' ? Math.min(wPlus, wMinus) : wPlus;
  const hasTies = ties.length > 0;
  let exact: boolean;
  if (method === 'exact') {
    if (hasTies || nZeros > 0) {
      throw new Error(`wilcoxonSignedRank: method 'exact' needs distinct non-zero |differences| (found ${hasTies ? 'ties' : ''}${hasTies && nZeros ? ' and ' : ''}${nZeros ? `${nZeros} zero(s)` : ''}); use 'approx' or 'auto'.`);
    }
    if (n > 1000) throw new Error(`wilcoxonSignedRank: method 'exact' is limited to n <= 1000 (got ${n}); use 'approx'.`);
    exact = true;
  } else exact = method === 'auto' && n <= EXACT_MAX_N && !hasTies && nZeros === 0;

  if (exact) {
    const pmf = signedRankPmf(n);
    const cdf = (w: number) => {
      let s = 0;
      for (let k = 0; k <= Math.floor(w); k++) s += pmf[k];
      return s;
    };
    let p: number;
    if (alternative === 'two-sided') p = 2 * cdf(W);
    else if (alternative === 'less') p = cdf(wPlus);
    else p = 1 - cdf(wPlus - 1);
    return { W, p: Math.min(1, p), exact: true, n, nZeros, ties: hasTies };
  }
  const mn = (n * (n + 1)) / 4;
  let varW = (n * (n + 1) * (2 * n + 1)) / 24;
  for (const t of ties) varW -= (t * t * t - t) / 48;
  const se = Math.sqrt(varW);
  let c = 0;
  if (correction) c = alternative === 'two-sided' ? 0.5 * Math.sign(W - mn) : alternative === 'less' ? -0.5 : 0.5;
  const z = (W - mn - c) / se;
  let p: number;
  if (alternative === 'two-sided') p = 2 * normalCdf(-Math.abs(z));
  else if (alternative === 'less') p = normalCdf(z);
  else p = normalCdf(-z);
  return { W, z, p: Math.min(1, p), exact: false, n, nZeros, ties: hasTies };
}

/** P(W+ = w) for w = 0..n(n+1)/2 under H0: subset-sum counts of {1..n} divided by 2^n. */
export function signedRankPmf(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let s = (k * (k + 1)) / 2; s >= k; s--) counts[s] += counts[s - k];
  }
  const total = 2 ** n;
  return counts.map((c) => c / total);
}
