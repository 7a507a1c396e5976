/**
 * P1's per-excerpt MAE (Hoedt et al. 2025, arXiv 2508.03780): for each excerpt, the mean over its 8
 * emotions of |prediction - truth|; on the adversarial prediction, the samples of the paper's
 * paired t-tests (pairedMaeTest).
 *
 *   MAE_i = (1 / K) sum_k |yhat_ik - y_ik|
 *
 * Where the authors define it: analysis/compute_performance.py, compute_statistical_test (sklearn
 * mean_absolute_error of each excerpt's true labels and new-pred, the last iterate).
 *
 * @example perExcerptMae(run.excerpts, 'last'); // [36 numbers]
 */
import { predictionsOf } from './attackRecords';
import type { ExcerptRecord, PredictionOf } from './attackRecords';

export function perExcerptMae(excerpts: ExcerptRecord[], of: PredictionOf): number[] {
  const p = predictionsOf(excerpts, of);
  return excerpts.map((e, i) => e.yTrue.reduce((s, y, k) => s + Math.abs(p[i][k] - y), 0) / e.yTrue.length);
}
