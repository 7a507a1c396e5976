/**
 * From paired comparisons to verdicts on the paper's two claims (computed, never hand-written), in
 * the shared vocabulary of stats/claims.ts.
 * Per (comparison a vs b, method, metric): 'supports' if a beats b in the metric's direction with
 * Holm-adjusted p < alpha, 'contradicts' if b beats a with adjusted p < alpha, else 'n.s.'.
 * Per (comparison, method), over the metrics: 'holds' when a majority of metrics support and none
 * contradicts, 'reversed' when a majority contradicts and none supports, else 'not shown'; 'too few'
 * when the comparison has fewer than minN images (the statistical unit).
 * Per claim (claimSummary): the same majority rule over its cells, as a stats Claim row; a claim
 * whose pairs were all excluded (collapsed models) is 'not tested'.
 *
 * @example
 *   const rows = claimVerdicts(comparisons, { claim: CLAIMS.robustMoreInterpretable, pairs: [['PGD-AT', 'standard']] });
 *   claimSummary(rows, { excluded: ['TRADES seed 1: accuracy 0.570 ...'] }) // [{ claim, paper, ours, criterion, verdict, excluded }]
 */
import type { Claim, Verdict } from '../../stats';
import { Comparison } from './compareFamilies';

export type MetricVerdict = 'supports' | 'contradicts' | 'n.s.';

export interface VerdictRow {
  claim: string;
  a: string;
  b: string;
  method: string;
  /** Images (the unit) in the comparison (smallest over its metrics). */
  n: number;
  supports: number;
  contradicts: number;
  notSignificant: number;
  verdict: Verdict;
  /** Metric names that support / contradict. */
  supporting: string;
  contradicting: string;
}

export function metricVerdict(c: Pick<Comparison, 'better' | 'pHolm'>, alpha = 0.05): MetricVerdict {
  if (!(c.pHolm < alpha)) return 'n.s.';
  return c.better ? 'supports' : 'contradicts';
}

/** Majority rule: 'holds' if supports > total / 2 and none contradicts, 'reversed' the mirror, else 'not shown'. */
export function verdictOf(supports: number, contradicts: number, total: number): Verdict {
  if (supports > total / 2 && contradicts === 0) return 'holds';
  if (contradicts > total / 2 && supports === 0) return 'reversed';
  return 'not shown';
}

export function claimVerdicts(comparisons: Comparison[], spec: { claim: string; pairs: [string, string][]; alpha?: number; minN?: number }): VerdictRow[] {
  const minN = spec.minN ?? 10;
  const out: VerdictRow[] = [];
  for (const [a, b] of spec.pairs) {
    const methods = [...new Set(comparisons.filter((c) => c.a === a && c.b === b).map((c) => c.method))];
    if (methods.length === 0) throw new Error(`claimVerdicts: no comparison of "${a}" vs "${b}"; run compareFamilies with that pair.`);
    for (const method of methods) {
      const cs = comparisons.filter((c) => c.a === a && c.b === b && c.method === method);
      const v = cs.map((c) => metricVerdict(c, spec.alpha));
      const sup = cs.filter((_, i) => v[i] === 'supports').map((c) => c.metric);
      const con = cs.filter((_, i) => v[i] === 'contradicts').map((c) => c.metric);
      const n = Math.min(...cs.map((c) => c.n));
      out.push({
        claim: spec.claim, a, b, method, n, supports: sup.length, contradicts: con.length, notSignificant: cs.length - sup.length - con.length,
        verdict: n < minN ? 'too few' : verdictOf(sup.length, con.length, cs.length), supporting: sup.join(' '), contradicting: con.join(' '),
      });
    }
  }
  return out;
}

export interface ClaimSummaryOptions {
  /** Claims to report even when none of their pairs could be compared ('not tested'), with why. */
  untested?: { claim: string; why: string }[];
  /** Models left out (each with its reason), listed under every claim. */
  excluded?: string[];
  alpha?: number;
  minN?: number;
}

/** One Claim row per claim from the verdict rows (same majority rule as per cell). */
export function claimSummary(rows: VerdictRow[], options: ClaimSummaryOptions = {}): Claim[] {
  const alpha = options.alpha ?? 0.05;
  const minN = options.minN ?? 10;
  const criterion = `per (pair, attribution method) cell: paired t-test over test images (per-image values averaged over seeds), two-sided, Holm over all tests, p < ${alpha}; a cell holds when most of its metrics favour the claimed family and none the other; the claim holds when most cells hold and none is reversed; >= ${minN} images`;
  const excluded = options.excluded?.length ? { excluded: options.excluded } : {};
  const claims = [...new Set(rows.map((r) => r.claim))];
  const out: Claim[] = claims.map((claim) => {
    const rs = rows.filter((r) => r.claim === claim);
    const held = rs.filter((r) => r.verdict === 'holds').length;
    const reversed = rs.filter((r) => r.verdict === 'reversed').length;
    const few = rs.filter((r) => r.verdict === 'too few').length;
    const verdict: Verdict = few === rs.length ? 'too few' : verdictOf(held, reversed, rs.length);
    const pairs = [...new Set(rs.map((r) => `${r.a} vs ${r.b}`))].join(', ');
    return {
      claim, paper: 'claimed (abstract; no numbers given)', criterion, verdict, ...excluded,
      ours: `${held} of ${rs.length} cells hold, ${reversed} reversed, ${rs.length - held - reversed - few} not shown${few ? `, ${few} too few` : ''} (${pairs}; n = ${Math.min(...rs.map((r) => r.n))} images)`,
    };
  });
  for (const u of options.untested ?? []) {
    if (!claims.includes(u.claim)) out.push({ claim: u.claim, paper: 'claimed (abstract; no numbers given)', ours: u.why, criterion, verdict: 'not tested', ...excluded });
  }
  return out;
}
