/**
 * Median (the 0.5 quantile; mean of the two middle values for even n).
 *
 * @example median([3, 1, 4, 1]) // 2
 */
import { Sample } from './validate';
import { quantile } from './quantile';

export function median(values: Sample): number {
  return quantile(values, 0.5);
}
