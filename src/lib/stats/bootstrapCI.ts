/**
 * Percentile bootstrap confidence interval (Efron & Tibshirani 1993, ch. 13): resample the values
 * with replacement n times (seeded), compute the statistic on each resample, and take the
 * (1-level)/2 and (1+level)/2 quantiles of those statistics.
 *
 * @example bootstrapCI(perSongMae, { n: 2000, level: 0.95, seed: 42 }) // { estimate, lo, hi, ... }
 * @example bootstrapCI(values, { statistic: median, seed: 1 })
 */
import { checkOptions, Rng } from '../engine';
import { Sample, toNumbers } from './validate';
import { quantile } from './quantile';

export interface BootstrapOptions {
  /** Statistic of a sample (default: the mean). */
  statistic?: (values: Float64Array) => number;
  /** Number of bootstrap resamples (default 2000). */
  n?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
}

export interface BootstrapResult {
  /** The statistic on the original values. */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  n: number;
  seed: number;
}

export function bootstrapCI(values: Sample, options: BootstrapOptions = {}): BootstrapResult {
  checkOptions('bootstrapCI', options, ['statistic', 'n', 'level', 'seed']);
  const x = toNumbers('bootstrapCI', values);
  const statistic = options.statistic ?? sampleMean;
  const n = options.n ?? 2000;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(n) || n < 1) throw new Error(`bootstrapCI: n must be a positive integer, got ${n}.`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrapCI: level must be in (0, 1), got ${level}.`);
  if (typeof statistic !== 'function') throw new Error('bootstrapCI: statistic must be a function (values) => number.');
  const rng = new Rng(seed);
  const stats = new Float64Array(n);
  const resample = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < x.length; i++) resample[i] = x[rng.int(x.length)];
    const s = statistic(resample);
    if (!Number.isFinite(s)) throw new Error(`bootstrapCI: the statistic returned ${s} on resample ${b}.`);
    stats[b] = s;
  }
  const [lo, hi] = quantile(stats, [(1 - level) / 2, (1 + level) / 2]);
  return { estimate: statistic(x), lo, hi, level, n, seed };
}

function sampleMean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
