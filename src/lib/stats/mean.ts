/**
 * Arithmetic mean, (1/n) Σ x_i.
 *
 * @example mean([1, 2, 3]) // 2
 */
import { Sample, toNumbers } from './validate';

export function mean(values: Sample): number {
  const x = toNumbers('mean', values);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
