/**
 * Verdicts as data: one shared vocabulary for the papers' claims, and the two rules that turn a
 * computed test or interval into a verdict (conventions.md 15).
 *
 *   'holds'      the paper's test is significant in the paper's direction;
 *   'reversed'   significant in the opposite direction;
 *   'not shown'  not significant (p >= alpha, or the interval contains the null value);
 *   'too few'    fewer independent units than the stated minimum: no verdict;
 *   'not tested' a precondition failed or the test was not run (say why in `ours` / `excluded`).
 *
 * A Claim row states the claim, the paper's number, ours, the criterion (shown beside the verdict)
 * and what was left out of the computation (collapsed or gradient-masked models, boundaries not
 * found) with the reason.
 *
 * @example
 *   const t = stats.pairedTTest(maeA2E, maeA2M2E);
 *   const verdict = verdictFromTest({ p: t.p, effect: t.meanDiff, n: t.n }, { direction: 'greater', minN: 5 });
 *   const row: Claim = { claim: 'A2M2E is more robust than A2E', paper: '0.98 vs 2.37, p << 0.001',
 *     ours: `${t.meanDiff.toFixed(2)}, p = ${t.p.toPrecision(2)}`, verdict,
 *     criterion: 'paired t-test on per-song MAE after attack, two-sided, p < 0.05, A2E - A2M2E > 0, n >= 5 songs' };
 */
import { checkOptions } from '../engine';

export type Verdict = 'holds' | 'not shown' | 'reversed' | 'too few' | 'not tested';

/** Every verdict, in the order a summary lists them. */
export const VERDICTS: readonly Verdict[] = ['holds', 'reversed', 'not shown', 'too few', 'not tested'];

export interface Claim {
  /** The paper's claim, in one sentence. */
  claim: string;
  /** The paper's number(s) for it. */
  paper: string;
  /** Our number(s), computed. */
  ours: string;
  /** The test, its direction, threshold and minimum n: what the verdict follows from. */
  criterion: string;
  verdict: Verdict;
  /** Models or points left out of the computation, each with its reason. */
  excluded?: string[];
}

export type Direction = 'greater' | 'less';

export interface VerdictFromTestOptions {
  /** Significance level (default 0.05). */
  alpha?: number;
  /** The paper's direction: the effect it claims is > 0 ('greater') or < 0 ('less'). */
  direction: Direction;
  /** Fewer independent units than this gives 'too few'. */
  minN: number;
}

export interface VerdictFromIntervalOptions {
  direction: Direction;
  minN: number;
  /** The null value the interval is compared with (default 0). */
  nullValue?: number;
}

/** The options both verdict rules share: present, known keys, direction and minN valid. */
function checkVerdictOptions(where: string, options: { direction: unknown; minN: unknown } | undefined, known: string[]): void {
  if (!options || typeof options !== 'object') throw new Error(`${where}: options { ${known.join(', ')} } are required.`);
  checkOptions(where, options, known);
  if (options.direction !== 'greater' && options.direction !== 'less') {
    throw new Error(`${where}: direction must be 'greater' or 'less' (the paper's direction of the effect), got ${JSON.stringify(options.direction)}.`);
  }
  const minN = options.minN;
  if (typeof minN !== 'number' || !Number.isInteger(minN) || minN < 1) {
    throw new Error(`${where}: minN must be an integer >= 1 (the fewest independent units a verdict needs), got ${JSON.stringify(minN)}.`);
  }
}

function checkN(where: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new Error(`${where}: n must be the number of independent units (an integer >= 0), got ${JSON.stringify(n)}.`);
  }
}

/**
 * The verdict of a significance test: 'too few' if n < minN; 'not shown' if p >= alpha, p is NaN
 * (a test with no variation rejects nothing) or the effect is exactly 0; else 'holds' when the
 * effect's sign is the paper's direction and 'reversed' when it is the opposite.
 * Give a two-sided p: a one-sided p in the paper's direction can never show 'reversed'.
 *
 * @example verdictFromTest({ p: 0.003, effect: -0.4, n: 12 }, { direction: 'less', minN: 5 })   // 'holds'
 */
export function verdictFromTest(test: { p: number; effect: number; n: number }, options: VerdictFromTestOptions): Verdict {
  const where = 'verdictFromTest';
  checkVerdictOptions(where, options, ['direction', 'minN', 'alpha']);
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) throw new Error(`${where}: alpha must be in (0, 1), got ${alpha}.`);
  if (!test || typeof test !== 'object') throw new Error(`${where}: give the test as { p, effect, n }.`);
  const { p, effect, n } = test;
  checkN(where, n);
  if (n < options.minN) return 'too few';
  if (typeof p !== 'number' || (!Number.isNaN(p) && !(p >= 0 && p <= 1))) throw new Error(`${where}: p must be in [0, 1] (or NaN), got ${p}.`);
  if (Number.isNaN(p)) return 'not shown';
  if (typeof effect !== 'number' || Number.isNaN(effect)) {
    throw new Error(`${where}: effect is ${effect}, but p = ${p}; give the signed effect the test is about (e.g. the mean difference).`);
  }
  if (p >= alpha || effect === 0) return 'not shown';
  return (effect > 0) === (options.direction === 'greater') ? 'holds' : 'reversed';
}

/**
 * The verdict of a confidence interval [lo, hi] of an effect: 'too few' if n < minN; 'holds' when
 * the whole interval lies beyond the null value in the paper's direction (lo > null for 'greater',
 * hi < null for 'less'), 'reversed' when it lies wholly on the other side, 'not shown' when it
 * contains the null value.
 *
 * @example verdictFromInterval({ lo: 0.07, hi: 0.17, n: 64 }, { direction: 'greater', minN: 10 })   // 'holds'
 */
export function verdictFromInterval(interval: { lo: number; hi: number; n: number }, options: VerdictFromIntervalOptions): Verdict {
  const where = 'verdictFromInterval';
  checkVerdictOptions(where, options, ['direction', 'minN', 'nullValue']);
  const v0 = options.nullValue ?? 0;
  if (typeof v0 !== 'number' || !Number.isFinite(v0)) throw new Error(`${where}: nullValue must be a finite number, got ${v0}.`);
  if (!interval || typeof interval !== 'object') throw new Error(`${where}: give the interval as { lo, hi, n }.`);
  const { lo, hi, n } = interval;
  checkN(where, n);
  if (n < options.minN) return 'too few';
  if (typeof lo !== 'number' || typeof hi !== 'number' || Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
    throw new Error(`${where}: the interval must have lo <= hi (numbers), got [${lo}, ${hi}].`);
  }
  const above = lo > v0;
  const below = hi < v0;
  if (!above && !below) return 'not shown';
  return above === (options.direction === 'greater') ? 'holds' : 'reversed';
}

/** Throw unless `claims` is an array of well-formed Claim rows (naming the row and the field). */
export function checkClaims(where: string, claims: unknown): asserts claims is Claim[] {
  if (!Array.isArray(claims)) throw new Error(`${where}: claims must be an array of { claim, paper, ours, criterion, verdict, excluded? }.`);
  claims.forEach((c, i) => {
    if (!c || typeof c !== 'object') throw new Error(`${where}: claims[${i}] is not an object.`);
    const row = c as Record<string, unknown>;
    for (const k of ['claim', 'paper', 'ours', 'criterion'] as const) {
      if (typeof row[k] !== 'string') throw new Error(`${where}: claims[${i}].${k} must be a string, got ${JSON.stringify(row[k])}.`);
    }
    if ((row.criterion as string).trim() === '') throw new Error(`${where}: claims[${i}] ("${row.claim}") has no criterion; every verdict states what it follows from.`);
    if (!VERDICTS.includes(row.verdict as Verdict)) {
      throw new Error(`${where}: claims[${i}].verdict is ${JSON.stringify(row.verdict)}; use one of ${VERDICTS.map((v) => `'${v}'`).join(', ')}.`);
    }
    if (row.excluded !== undefined && !(Array.isArray(row.excluded) && row.excluded.every((e) => typeof e === 'string'))) {
      throw new Error(`${where}: claims[${i}].excluded must be an array of strings (what was left out, and why).`);
    }
    const extra = Object.keys(row).filter((k) => !['claim', 'paper', 'ours', 'criterion', 'verdict', 'excluded'].includes(k));
    if (extra.length) throw new Error(`${where}: claims[${i}] has unknown field(s) ${extra.join(', ')}; a Claim is { claim, paper, ours, criterion, verdict, excluded? }.`);
  });
}
