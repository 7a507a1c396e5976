/**
 * Welch's unequal-variance two-sample t-test, as scipy.stats.ttest_ind(equal_var=False):
 * t = (ā - b̄) / √(s_a²/n_a + s_b²/n_b), with the Welch–Satterthwaite
 * df = (v_a + v_b)² / (v_a²/(n_a-1) + v_b²/(n_b-1)), v = s²/n. ci95 is for ā - b̄.
 *
 * @example welchTTest(robustModelScores, standardModelScores)
 */
import { checkOptions } from '../engine';
import { Sample, toNumbers } from './validate';
import { tTestResult, TTestResult, Alternative } from './tTestResult';

export interface WelchTTestOptions {
  /** 'two-sided' (default), 'less' (mean a < mean b) or 'greater'. */
  alternative?: Alternative;
}

export function welchTTest(a: Sample, b: Sample, options: WelchTTestOptions = {}): TTestResult {
  checkOptions('welchTTest', options, ['alternative']);
  const x = toNumbers('welchTTest', a, 'a', 2);
  const y = toNumbers('welchTTest', b, 'b', 2);
  const [mx, vx] = meanVar(x);
  const [my, vy] = meanVar(y);
  const va = vx / x.length;
  const vb = vy / y.length;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (x.length - 1) + vb ** 2 / (y.length - 1));
  return tTestResult('welchTTest', mx - my, se, df, x.length + y.length, options.alternative ?? 'two-sided');
}

function meanVar(x: Float64Array): [number, number] {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) ** 2;
  return [m, ss / (x.length - 1)];
}
