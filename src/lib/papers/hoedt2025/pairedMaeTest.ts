/**
 * P1's significance test (Hoedt et al. 2025, arXiv 2508.03780): a paired t-test on the per-excerpt
 * MAE after attack of two model kinds, pooled over seeds; pairs = (seed, excerpt), so n = seeds x
 * excerpts (the paper: 10 x 36 = 360; A2E vs A2M2E t = 13.0, A2B2E vs A2M2E t = 12.1).
 *
 *   d_j = MAE_adv(a)_j - MAE_adv(b)_j,   t = mean(d) / (sd(d) / sqrt(n)),   df = n - 1, two-sided p
 *
 * Where the authors define it: analysis/compute_performance.py, compute_statistical_test (per
 * excerpt MAE of new-pred, the last iterate, concatenated over the seeds of each architecture in
 * the same seed order; scipy ttest_rel). Ours pairs by (seed, excerpt id) explicitly and refuses
 * runs whose seeds or excerpts differ. meanDiff > 0: model a is hurt more than b. Note that the
 * (seed, excerpt) pairs are not independent across seeds (the same 36 excerpts recur), as in the paper.
 *
 * @example pairedMaeTest(runs, 'A2E', 'A2M2E'); // { a, b, t, p, n, df, meanDiff }
 */
import { pairedTTest } from '../../stats';
import type { AdversarialAt, AttackRun } from './attackRecords';
import type { ModelKind } from './config';
import { perExcerptMae } from './perExcerptMae';

export type PairedMaeTest = {
  a: ModelKind;
  b: ModelKind;
  t: number;
  p: number;
  n: number;
  df: number;
  /** Mean of MAE_adv(a) - MAE_adv(b). */
  meanDiff: number;
  /** The paired differences MAE_adv(a) - MAE_adv(b), in (seed, excerpt) order. */
  diffs: number[];
};

export function pairedMaeTest(runs: AttackRun[], a: ModelKind, b: ModelKind, at: AdversarialAt = 'last'): PairedMaeTest {
  const of = (k: ModelKind) => runs.filter((r) => r.kind === k).sort((x, y) => x.seed - y.seed);
  const ra = of(a), rb = of(b);
  if (!ra.length || !rb.length) throw new Error(`pairedMaeTest: no runs of ${!ra.length ? a : b}.`);
  const sa = ra.map((r) => r.seed).join(' '), sb = rb.map((r) => r.seed).join(' ');
  if (sa !== sb) throw new Error(`pairedMaeTest: ${a} and ${b} were run with different seeds (${sa} vs ${sb}); pairs are (seed, excerpt).`);
  const xa: number[] = [], xb: number[] = [];
  ra.forEach((r, i) => {
    const ma = perExcerptMae(r.excerpts, at), mb = perExcerptMae(rb[i].excerpts, at);
    const pos = new Map(rb[i].excerpts.map((e, j) => [e.excerpt, j]));
    if (pos.size !== rb[i].excerpts.length || r.excerpts.length !== rb[i].excerpts.length) {
      throw new Error(`pairedMaeTest: seed ${r.seed}: ${a} has ${r.excerpts.length} excerpts, ${b} ${rb[i].excerpts.length} (or repeated ids); pairs need the same excerpts.`);
    }
    r.excerpts.forEach((e, j) => {
      const k = pos.get(e.excerpt);
      if (k === undefined) throw new Error(`pairedMaeTest: seed ${r.seed}: excerpt ${e.excerpt} of ${a} was not attacked for ${b}.`);
      xa.push(ma[j]);
      xb.push(mb[k]);
    });
  });
  const t = pairedTTest(xa, xb);
  return { a, b, t: t.t, p: t.p, n: t.n, df: t.df, meanDiff: t.meanDiff, diffs: xa.map((v, i) => v - xb[i]) };
}
