/**
 * Pearson correlation r = Σ (a_i - ā)(b_i - b̄) / √(Σ (a_i - ā)² Σ (b_i - b̄)²).
 * NaN when either sample is constant (the correlation is undefined).
 *
 * @example pearson([1, 2, 3], [2, 4, 7]) // 0.9933...
 */
import { Sample, toPaired } from './validate';

export function pearson(a: Sample, b: Sample): number {
  const [x, y] = toPaired('pearson', a, b, 2);
  return pearsonOf(x, y);
}

/** Pearson r of two validated equal-length arrays. */
export function pearsonOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}
