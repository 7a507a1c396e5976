/**
 * Sample standard deviation (n - 1 in the denominator, numpy ddof=1): √(Σ (x_i - x̄)² / (n - 1)).
 * Needs at least two values.
 *
 * @example std([2, 4, 4, 4, 5, 5, 7, 9]) // 2.138...
 */
import { Sample, toNumbers } from './validate';

export function std(values: Sample): number {
  return Math.sqrt(variance(values));
}

/** Sample variance, Σ (x_i - x̄)² / (n - 1) (two-pass). */
export function variance(values: Sample): number {
  const x = toNumbers('std', values, 'values', 2);
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) ** 2;
  return ss / (x.length - 1);
}
