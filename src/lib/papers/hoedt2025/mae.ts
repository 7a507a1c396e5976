/**
 * P1's MAE over a set of excerpts (Hoedt et al. 2025, arXiv 2508.03780): the mean absolute error
 * over all excerpts x emotions of one prediction (clean, last iterate or kept delta).
 *
 *   MAE = (1 / (n K)) sum_i sum_k |yhat_ik - y_ik|
 *
 * Where the authors define it: train_models/utils.py, compute_metrics(..., 'mae') (sklearn
 * mean_absolute_error on the [excerpts, 8] matrices), applied to a log in
 * analysis/process_adversarial_log.py, process_log_file. Ours is the same formula.
 *
 * @example mae(run.excerpts, 'clean');  mae(run.excerpts, 'last');
 */
import { predictionsOf } from './attackRecords';
import type { ExcerptRecord, PredictionOf } from './attackRecords';

export function mae(excerpts: ExcerptRecord[], of: PredictionOf): number {
  const p = predictionsOf(excerpts, of);
  let s = 0, n = 0;
  excerpts.forEach((e, i) => e.yTrue.forEach((y, k) => { s += Math.abs(p[i][k] - y); n++; }));
  return s / n;
}
