/**
 * Paired (dependent-samples) t-test on d_i = a_i - b_i, as scipy.stats.ttest_rel:
 * t = d̄ / (s_d / √n), df = n - 1; p from Student's t (two-sided by default); ci95 is the 95%
 * confidence interval of the mean difference d̄ ± t_{0.975, df} s_d / √n.
 * P1 compares per-song MAE after attack between two models this way.
 *
 * @example pairedTTest(maeA2E, maeA2M2E) // { t, df, p, meanDiff, ci95: [lo, hi], n }
 */
import { checkOptions } from '../engine';
import { Sample, toPaired } from './validate';
import { tTestResult, TTestResult, Alternative } from './tTestResult';

export interface PairedTTestOptions {
  /** 'two-sided' (default), 'less' (mean of a - b < 0) or 'greater'. */
  alternative?: Alternative;
}

export function pairedTTest(a: Sample, b: Sample, options: PairedTTestOptions = {}): TTestResult {
  checkOptions('pairedTTest', options, ['alternative']);
  const [x, y] = toPaired('pairedTTest', a, b, 2);
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] - y[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - y[i] - m) ** 2;
  const se = Math.sqrt(ss / (n - 1) / n);
  return tTestResult('pairedTTest', m, se, n - 1, n, options.alternative ?? 'two-sided');
}
