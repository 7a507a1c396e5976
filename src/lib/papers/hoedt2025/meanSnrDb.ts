/**
 * P1's perturbation size for one attacked model (Hoedt et al. 2025, arXiv 2508.03780): the mean
 * over the attacked excerpts of the approximate SNR in dB (approxSnrDb of the kept perturbation);
 * the paper reports the mean over seeds of this (fig3Table: ~35-36 dB for the standard models).
 *
 *   snrDb = (1 / n) sum_i SNR_i
 *
 * Where the authors define it: analysis/process_adversarial_log.py, process_log_file (db_mean =
 * np.mean(log['db'])); the per-excerpt value comes from adversary/attacker.py, mel_spec_snr.
 * A perturbation of zero has SNR +Infinity, and so has the mean (reported, not dropped).
 *
 * @example meanSnrDb(run.excerpts); // 35.3
 */
import type { ExcerptRecord } from './attackRecords';

export function meanSnrDb(excerpts: ExcerptRecord[]): number {
  if (!excerpts.length) throw new Error('meanSnrDb: no excerpt records.');
  return excerpts.reduce((s, e) => s + e.snrDb, 0) / excerpts.length;
}
