/**
 * What the A2M2E bottleneck says under attack (arXiv 2508.03780): which of the 7 mid-level
 * concepts the attack moved. Takes the model's outputs [n][8 + 7] on clean and adversarial input
 * (and the true concepts) and reports per concept:
 *
 *   shift_c = mean_i (m_adv_ic - m_clean_ic),  |shift|_c = mean_i |m_adv_ic - m_clean_ic|,
 *   r_clean / r_adv = pearson over songs of predicted vs true concept c.
 *
 * @example
 *   midlevelShift(a.outClean, a.outKept, a.yTrue, data.midLevelNames)
 */
import { pearson } from '../../stats';

export function midlevelShift(predClean: number[][], predAdv: number[][], yTrue: number[][], names: string[], emotions = 8): Record<string, string | number>[] {
  if (predClean.length !== predAdv.length || predClean.length !== yTrue.length) throw new Error('midlevelShift: clean, adversarial and true rows differ in number.');
  if (!predClean.length || predClean[0].length !== emotions + names.length) {
    throw new Error(`midlevelShift: expected outputs with ${emotions} emotions + ${names.length} concepts (an A2M2E model), got ${predClean[0]?.length ?? 0} columns.`);
  }
  const n = predClean.length;
  return names.map((name, c) => {
    const j = emotions + c;
    const col = (rows: number[][]) => rows.map((r) => r[j]);
    const d = predAdv.map((r, i) => r[j] - predClean[i][j]);
    const safe = (a: number[], b: number[]) => { try { return pearson(a, b); } catch { return NaN; } };
    return {
      concept: name,
      meanClean: col(predClean).reduce((s, v) => s + v, 0) / n,
      meanAdv: col(predAdv).reduce((s, v) => s + v, 0) / n,
      shift: d.reduce((s, v) => s + v, 0) / n,
      absShift: d.reduce((s, v) => s + Math.abs(v), 0) / n,
      corrTrueClean: safe(col(predClean), col(yTrue)),
      corrTrueAdv: safe(col(predAdv), col(yTrue)),
    };
  });
}
