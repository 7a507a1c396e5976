/**
 * P1's average correlation (Hoedt et al. 2025, arXiv 2508.03780): for each emotion, Pearson's r
 * between true and predicted ratings across the excerpts, then the mean over the emotions. On the
 * clean prediction it is Table 1's "avg. correlation"; on the adversarial prediction it is the
 * paper's "correlation after attack".
 *
 *   corrAvg = (1 / K) sum_k pearson(yhat_.k, y_.k)
 *
 * Where the authors define it: train_models/utils.py, compute_metrics(..., 'corr_avg') (scipy
 * pearsonr per column), applied in analysis/process_adversarial_log.py, process_log_file; the
 * adversarial prediction is the last iterate (new-pred). Not the per-song correlation across the 8
 * emotions that the attack's threshold uses (regressionAttack's r_t). An emotion whose true or
 * predicted column is constant has no correlation (NaN, as scipy), and so has the mean.
 *
 * @example corrAvg(run.excerpts, 'clean');  corrAvg(run.excerpts, 'last');
 */
import { pearson } from '../../stats';
import { predictionsOf } from './attackRecords';
import type { ExcerptRecord, PredictionOf } from './attackRecords';

export function corrAvg(excerpts: ExcerptRecord[], of: PredictionOf): number {
  const p = predictionsOf(excerpts, of);
  if (excerpts.length < 2) throw new Error(`corrAvg: needs at least 2 excerpts for a correlation across excerpts, got ${excerpts.length}.`);
  const K = excerpts[0].yTrue.length;
  let s = 0;
  for (let k = 0; k < K; k++) s += pearson(excerpts.map((e) => e.yTrue[k]), p.map((r) => r[k]));
  return s / K;
}
