/**
 * Seeded train / validation / test splits, optionally stratified by class.
 *
 * Counts use largest remainders: part j gets floor(f_j * m) items and the leftover items go to the
 * parts with the largest fractional remainders (ties: earlier part), per class when stratified
 * (m = class size) or over the whole set (m = n). Items are assigned after a seeded shuffle, and each
 * part keeps ascending index order. With n = 360 and fractions [0.8, 0.1, 0.1]: 288 / 36 / 36 (P1).
 *
 * @example
 *   const [train, val, test] = split(set, { fractions: [0.8, 0.1, 0.1], seed: 42 });
 *   const [a, b] = splitIndices(360, { fractions: [0.9, 0.1], seed: 6 });
 */
import { checkOptions, Rng } from '../engine';
import { checkImageSet, ImageSet, subsetImages } from './imageSet';

export interface SplitOptions {
  /** Fractions of each part, summing to 1; default [0.8, 0.1, 0.1]. */
  fractions?: number[];
  /** Seed of the shuffle; default 0. */
  seed?: number;
  /** Split each class separately (keeps class proportions); default true for split, needs labels. */
  stratify?: boolean;
}

/** Counts per part for m items (largest-remainder rounding). */
export function partCounts(m: number, fractions: number[]): number[] {
  const raw = fractions.map((f) => f * m);
  const counts = raw.map((r) => Math.floor(r + 1e-9));
  let left = m - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, j) => ({ j, rem: r - Math.floor(r + 1e-9) })).sort((a, b) => b.rem - a.rem || a.j - b.j);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k].j]++;
  return counts;
}

function checkFractions(where: string, fractions: number[]): void {
  if (!Array.isArray(fractions) || fractions.length < 1 || fractions.some((f) => !(f >= 0) || !Number.isFinite(f))) {
    throw new Error(`${where}: fractions must be a non-empty list of numbers >= 0, got ${JSON.stringify(fractions)}.`);
  }
  const s = fractions.reduce((a, b) => a + b, 0);
  if (Math.abs(s - 1) > 1e-6) throw new Error(`${where}: fractions must sum to 1, they sum to ${s}.`);
}

/** Index lists of each part for n items; pass `labels` to stratify by them. */
export function splitIndices(n: number, options: SplitOptions & { labels?: ArrayLike<number> } = {}): number[][] {
  const where = 'splitIndices';
  checkOptions(where, options, ['fractions', 'seed', 'stratify', 'labels']);
  const fractions = options.fractions ?? [0.8, 0.1, 0.1];
  checkFractions(where, fractions);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: n must be a non-negative integer, got ${n}.`);
  const rng = new Rng(options.seed ?? 0);
  const stratify = options.stratify ?? options.labels !== undefined;
  if (stratify && !options.labels) throw new Error(`${where}: stratify needs labels.`);
  if (options.labels && options.labels.length !== n) throw new Error(`${where}: ${options.labels.length} labels for ${n} items.`);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = stratify ? options.labels![i] : 0;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(i);
  }
  const parts: number[][] = fractions.map(() => []);
  for (const g of [...groups.keys()].sort((a, b) => a - b)) {
    const idx = rng.shuffle(groups.get(g)!);
    const counts = partCounts(idx.length, fractions);
    let s = 0;
    counts.forEach((c, j) => { parts[j].push(...idx.slice(s, s + c)); s += c; });
  }
  return parts.map((p) => p.sort((a, b) => a - b));
}

/** Split an ImageSet into parts (stratified by y unless stratify: false). */
export function split(set: ImageSet, options: SplitOptions = {}): ImageSet[] {
  checkOptions('split', options, ['fractions', 'seed', 'stratify']);
  checkImageSet('split', set);
  const stratify = options.stratify ?? true;
  return splitIndices(set.shape[0], { ...options, stratify, labels: stratify ? set.y : undefined }).map((idx) => subsetImages(set, idx));
}
