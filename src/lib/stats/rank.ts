/**
 * Ranks 1..n with ties given their average rank (scipy.stats.rankdata 'average').
 *
 * @example rank([10, 20, 20, 5]) // [2, 3.5, 3.5, 1]
 */
import { Sample, toNumbers } from './validate';

export function rank(values: Sample): number[] {
  return ranksOf(toNumbers('rank', values));
}

/** Average ranks of an already-validated array; also returns the tie group sizes. */
export function ranksWithTies(x: ArrayLike<number>): { ranks: number[]; ties: number[] } {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => x[i] - x[j]);
  const ranks = new Array<number>(x.length);
  const ties: number[] = [];
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    const r = (i + j) / 2 + 1; // average of ranks i+1..j+1
    for (let k = i; k <= j; k++) ranks[idx[k]] = r;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

function ranksOf(x: ArrayLike<number>): number[] {
  return ranksWithTies(x).ranks;
}
