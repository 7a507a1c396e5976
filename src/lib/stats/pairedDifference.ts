/**
 * A paired comparison of two methods or models on the same units: the mean difference
 * d = mean_i (a_i - b_i) over the units where both are finite, with a percentile-bootstrap CI
 * (bootstrapCI), and the verdict of that interval in the shared vocabulary (verdictFromInterval):
 *
 *   'holds' if the CI lies wholly on the claimed side of 0 (lo > 0 for direction 'greater', the
 *   default), 'reversed' if wholly on the other side, 'not shown' if it covers 0, 'too few' with
 *   fewer than minN finite pairs (default 1).
 *
 * @example
 *   pairedDifference(energy.robust.saliency, energy.std.saliency, { nBoot: 2000, seed: 1, minN: 10 })
 *   // { diff: 0.12, lo: 0.07, hi: 0.17, n: 64, verdict: 'holds' }
 */
import { checkOptions } from '../engine';
import { bootstrapCI } from './bootstrapCI';
import { verdictFromInterval } from './claims';
import type { Direction, Verdict } from './claims';

export interface PairedDifference {
  diff: number;
  lo: number;
  hi: number;
  /** Pairs where both values are finite. */
  n: number;
  verdict: Verdict;
}

export interface PairedDifferenceOptions {
  /** Bootstrap resamples (default 2000). */
  nBoot?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** The claimed direction of a - b (default 'greater'). */
  direction?: Direction;
  /** Fewest finite pairs for a verdict (default 1). */
  minN?: number;
}

export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, options: PairedDifferenceOptions = {}): PairedDifference {
  const where = 'pairedDifference';
  checkOptions(where, options, ['nBoot', 'seed', 'level', 'direction', 'minN']);
  if (a.length !== b.length) throw new Error(`${where}: ${a.length} values against ${b.length}; the comparison is paired.`);
  const rule = { direction: options.direction ?? 'greater', minN: options.minN ?? 1 };
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) d.push(a[i] - b[i]);
  if (d.length === 0) return { diff: NaN, lo: NaN, hi: NaN, n: 0, verdict: verdictFromInterval({ lo: NaN, hi: NaN, n: 0 }, rule) };
  const ci = bootstrapCI(d, { n: options.nBoot ?? 2000, seed: options.seed ?? 0, level: options.level ?? 0.95 });
  return { diff: ci.estimate, lo: ci.lo, hi: ci.hi, n: d.length, verdict: verdictFromInterval({ lo: ci.lo, hi: ci.hi, n: d.length }, rule) };
}
