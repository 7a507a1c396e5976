/**
 * From paired comparisons to verdicts on the paper's two claims (computed, never hand-written).
 * Per (comparison a vs b, method, metric): 'supports' if a beats b in the metric's direction with
 * Holm-adjusted p < alpha, 'contradicts' if b beats a with adjusted p < alpha, else 'n.s.'.
 * Per (comparison, method), over the metrics: 'held' when a majority of metrics support and none
 * contradicts, 'reversed' when a majority contradicts and none supports, else 'not shown'.
 *
 * @example
 *   claimVerdicts(comparisons, { claim: 'robust > standard', pairs: [['PGD-AT', 'standard']] })
 */
import { Comparison } from './compareFamilies';

export type MetricVerdict = 'supports' | 'contradicts' | 'n.s.';
export type Verdict = 'held' | 'reversed' | 'not shown';

export interface VerdictRow {
  claim: string;
  a: string;
  b: string;
  method: string;
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

export function verdictOf(supports: number, contradicts: number, total: number): Verdict {
  if (supports > total / 2 && contradicts === 0) return 'held';
  if (contradicts > total / 2 && supports === 0) return 'reversed';
  return 'not shown';
}

export function claimVerdicts(comparisons: Comparison[], spec: { claim: string; pairs: [string, string][]; alpha?: number }): VerdictRow[] {
  const out: VerdictRow[] = [];
  for (const [a, b] of spec.pairs) {
    const methods = [...new Set(comparisons.filter((c) => c.a === a && c.b === b).map((c) => c.method))];
    if (methods.length === 0) throw new Error(`claimVerdicts: no comparison of "${a}" vs "${b}"; run compareFamilies with that pair.`);
    for (const method of methods) {
      const cs = comparisons.filter((c) => c.a === a && c.b === b && c.method === method);
      const v = cs.map((c) => metricVerdict(c, spec.alpha));
      const sup = cs.filter((_, i) => v[i] === 'supports').map((c) => c.metric);
      const con = cs.filter((_, i) => v[i] === 'contradicts').map((c) => c.metric);
      out.push({
        claim: spec.claim, a, b, method, supports: sup.length, contradicts: con.length, notSignificant: cs.length - sup.length - con.length,
        verdict: verdictOf(sup.length, con.length, cs.length), supporting: sup.join(' '), contradicting: con.join(' '),
      });
    }
  }
  return out;
}

export interface ClaimSummary {
  claim: string;
  /** (comparison, method) cells with each verdict. */
  held: number;
  reversed: number;
  notShown: number;
  cells: number;
  /** 'held' when most cells hold and none is reversed; 'reversed' likewise; else 'not shown'. */
  verdict: Verdict;
}

/** One line per claim from the verdict rows (same majority rule as per cell). */
export function claimSummary(rows: VerdictRow[]): ClaimSummary[] {
  const claims = [...new Set(rows.map((r) => r.claim))];
  return claims.map((claim) => {
    const rs = rows.filter((r) => r.claim === claim);
    const held = rs.filter((r) => r.verdict === 'held').length;
    const reversed = rs.filter((r) => r.verdict === 'reversed').length;
    return { claim, held, reversed, notShown: rs.length - held - reversed, cells: rs.length, verdict: verdictOf(held, reversed, rs.length) };
  });
}
