/**
 * Sample quantile(s) with linear interpolation between order statistics (Hyndman & Fan type 7,
 * the numpy/R default): for sorted x and h = (n - 1) q, Q(q) = x_⌊h⌋ + (h - ⌊h⌋)(x_⌊h⌋+1 - x_⌊h⌋).
 *
 * @example quantile([1, 2, 3, 4], 0.25) // 1.75
 * @example quantile([1, 2, 3, 4], [0.1, 0.9]) // [1.3, 3.7]
 */
import { Sample, toNumbers } from './validate';

export function quantile(values: Sample, q: number): number;
export function quantile(values: Sample, q: readonly number[]): number[];
export function quantile(values: Sample, q: number | readonly number[]): number | number[] {
  const x = Array.from(toNumbers('quantile', values)).sort((a, b) => a - b);
  const one = (p: number) => {
    if (!(p >= 0 && p <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${p}.`);
    const h = (x.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, x.length - 1);
    return x[lo] + (h - lo) * (x[hi] - x[lo]);
  };
  return typeof q === 'number' ? one(q) : q.map(one);
}
