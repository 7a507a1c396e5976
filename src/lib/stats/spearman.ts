/**
 * Spearman rank correlation: Pearson's r of the (average-tie) ranks of a and b.
 *
 * @example spearman([1, 2, 3, 4], [1, 4, 9, 16]) // 1
 */
import { Sample, toPaired } from './validate';
import { ranksWithTies } from './rank';
import { pearsonOf } from './pearson';

export function spearman(a: Sample, b: Sample): number {
  const [x, y] = toPaired('spearman', a, b, 2);
  return pearsonOf(ranksWithTies(x).ranks, ranksWithTies(y).ranks);
}
