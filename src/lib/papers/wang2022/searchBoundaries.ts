/**
 * Section "decision boundaries" of the P4 notebook: for every rung, the boundary search as the
 * authors run it by default (attacks.boundarySearch with PGD over growing budgets plus C&W-L2, the
 * closest success per image; their boundary/default.py 'PGDs+CW'), then bisection onto the
 * boundary (our addition), on the model's own decisions; and one table row per rung
 * (boundarySummary: found-rate, distances over found points only, robust accuracy).
 *
 * @example
 *   const b = await searchBoundaries(ladder, data.eval, cfg);
 *   report.showTable(b.rows); b.searches[0].xBoundary; b.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { asFn } from '../../engine';
import { boundarySearch } from '../../attacks';
import type { BoundarySearchResult } from '../../attacks';
import { progress } from '../../report';
import { boundarySummary } from './boundarySummary';
import type { P4Config } from './config';

export interface BoundaryStep {
  searches: BoundarySearchResult[];
  /** Per rung: the model's class per evaluation image. */
  pred: number[][];
  /** Per rung: is each evaluation image classified correctly. */
  correct: boolean[][];
  rows: Record<string, string | number>[];
  seconds: number[];
  dispose: () => void;
}

export async function searchBoundaries(
  rungs: { name: string; eps: number; model: tf.LayersModel }[],
  ev: { x: tf.Tensor; y: number[] },
  cfg: Pick<P4Config, 'boundary' | 'attackEpsilons' | 'seed'>,
  options: { showProgress?: boolean } = {},
): Promise<BoundaryStep> {
  const B = cfg.boundary;
  const n = ev.x.shape[0];
  const out: BoundaryStep = { searches: [], pred: [], correct: [], rows: [], seconds: [], dispose: () => out.searches.forEach((s) => s.xBoundary.dispose()) };
  const bar = options.showProgress === false ? undefined : progress(rungs.length, 'boundary search (PGD over budgets + C&W, refined)');
  try {
    for (const r of rungs) {
      const t0 = Date.now();
      const s = await boundarySearch(r.model, ev.x, null, {
        epsilons: B.epsilons, steps: B.steps, seed: cfg.seed, batchSize: B.batchSize, useCW: true, cwOptions: { ...B.cw }, refine: B.refine,
      });
      out.searches.push(s);
      out.seconds.push((Date.now() - t0) / 1000);
      const pred = tf.tidy(() => Array.from(asFn(r.model)(ev.x).reshape([n, -1]).argMax(1).dataSync()));
      const correct = pred.map((p, i) => p === ev.y[i]);
      out.pred.push(pred);
      out.correct.push(correct);
      const sum = boundarySummary(s, correct, { budgets: cfg.attackEpsilons });
      out.rows.push({
        model: r.name, trainEps: r.eps, images: n, found: sum.found, foundRate: sum.foundRate, byPgd: sum.byPgd, byCw: sum.byCw, alreadyWrong: sum.clean,
        medianDistance: sum.medianSearch, meanDistance: sum.meanSearch, medianRefined: sum.medianRefined,
        ...Object.fromEntries(Object.entries(sum.robustAcc).map(([k, v]) => [`robustAcc@${k}`, v])),
      });
      bar?.tick({ model: r.name, found: `${sum.found}/${n}` });
    }
  } catch (e) {
    out.dispose();
    throw e;
  } finally {
    bar?.done();
  }
  return out;
}
