/**
 * P1's Fig. 3 quantity for one attacked model (Hoedt et al. 2025, arXiv 2508.03780): the increase
 * of the MAE under attack, MAE(true, adversarial prediction) - MAE(true, clean prediction), both
 * over all attacked excerpts x 8 emotions (mae). Fig. 3 shows it per seed and reports the median
 * over the 10 seeds (fig3Table).
 *
 *   maeIncrease = MAE(y, f(x + delta_at)) - MAE(y, f(x))
 *
 * Where the authors define it: analysis/create_paper_plots.py, prep_difference
 * (new_metrics['mae'] - orig_metrics['mae'] from process_log_file), with the adversarial
 * prediction at the attack's LAST iterate (the log's new-pred). `at: 'kept'` takes the
 * prediction at x + the kept delta instead (ours only; name it when shown).
 *
 * @example maeIncrease(run.excerpts);  maeIncrease(run.excerpts, 'kept');
 */
import type { AdversarialAt, ExcerptRecord } from './attackRecords';
import { mae } from './mae';

export function maeIncrease(excerpts: ExcerptRecord[], at: AdversarialAt = 'last'): number {
  return mae(excerpts, at) - mae(excerpts, 'clean');
}
