/** The shared tail of the t-tests: statistic, p-value and confidence interval from (mean difference, se, df). */
import { studentTCdf, studentTTwoSided } from './studentTCdf';
import { studentTQuantile } from './studentTQuantile';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface TTestResult {
  /** t statistic, meanDiff / se (±Infinity when se = 0 and meanDiff ≠ 0, NaN when both are 0). */
  t: number;
  /** Degrees of freedom (fractional for Welch). */
  df: number;
  /** p-value for the chosen alternative (two-sided by default). */
  p: number;
  /** Mean difference (a - b). */
  meanDiff: number;
  /** Standard error of meanDiff. */
  se: number;
  /** Two-sided 95% confidence interval of meanDiff. */
  ci95: [number, number];
  /** Number of pairs (paired) or total observations (Welch). */
  n: number;
  alternative: Alternative;
}

export function tTestResult(where: string, meanDiff: number, se: number, df: number, n: number, alternative: Alternative): TTestResult {
  if (!['two-sided', 'less', 'greater'].includes(alternative)) {
    throw new Error(`${where}: unknown alternative "${alternative}"; use 'two-sided', 'less' or 'greater'.`);
  }
  const t = meanDiff / se;
  let p: number;
  if (Number.isNaN(t)) p = NaN;
  else if (alternative === 'two-sided') p = studentTTwoSided(t, df);
  else if (alternative === 'less') p = studentTCdf(t, df);
  else p = studentTCdf(-t, df);
  const q = studentTQuantile(0.975, df);
  return { t, df, p, meanDiff, se, ci95: [meanDiff - q * se, meanDiff + q * se], n, alternative };
}
