/**
 * Which trained models failed to train (collapsed, or far behind their own family or standard
 * training): a precondition of every comparison (conventions 15), flagged models are left out of
 * the statistics and listed, with the reason, in the claims' `excluded`.
 * Per model m on a data set with K classes, flagged when any of
 *   chance:    acc(m) <= 1/K + chanceMargin                                 (default margin 0.05)
 *   family:    acc(m) <  max acc over the other seeds of m's family - familyGap         (default 0.10)
 *   standard:  acc(m) <  mean acc of the standard models (not at chance) - standardGap  (default 0.10)
 * The standard rule does not apply to standard models themselves (they have the family rule).
 *
 * @example
 *   flagCollapsed([{ dataset: 'synth', family: 'TRADES', seed: 1, accuracy: 0.57, classes: 4 }, ...])
 *   // [{ ..., collapsed: true, reason: 'accuracy 0.570 is 35.0 points below the best TRADES seed (0.920)' }, ...]
 */
import { checkOptions } from '../../engine';

export interface AccuracyRow {
  dataset: string;
  family: string;
  seed: number;
  accuracy: number;
  /** Number of classes (chance = 1 / classes). */
  classes: number;
}

export interface FlagCollapsedOptions {
  chanceMargin?: number;
  familyGap?: number;
  standardGap?: number;
  /** Label of the standard family (default 'standard'). */
  standard?: string;
}

export interface CollapseFlag extends AccuracyRow {
  collapsed: boolean;
  /** Why it is flagged ('' when kept). */
  reason: string;
}

export function flagCollapsed(rows: AccuracyRow[], options: FlagCollapsedOptions = {}): CollapseFlag[] {
  checkOptions('flagCollapsed', options, ['chanceMargin', 'familyGap', 'standardGap', 'standard']);
  const { chanceMargin = 0.05, familyGap = 0.1, standardGap = 0.1, standard = 'standard' } = options;
  for (const r of rows) {
    if (!(r.accuracy >= 0 && r.accuracy <= 1)) throw new Error(`flagCollapsed: accuracy of ${r.family} seed ${r.seed} on ${r.dataset} is ${r.accuracy}; give a number in [0, 1].`);
    if (!(Number.isInteger(r.classes) && r.classes >= 2)) throw new Error(`flagCollapsed: classes must be an integer >= 2, got ${r.classes}.`);
  }
  const pts = (v: number) => (100 * v).toFixed(1);
  const atChance = (r: AccuracyRow) => r.accuracy <= 1 / r.classes + chanceMargin;
  return rows.map((r) => {
    const reasons: string[] = [];
    if (atChance(r)) reasons.push(`accuracy ${r.accuracy.toFixed(3)} is at chance (<= 1/${r.classes} + ${chanceMargin})`);
    const others = rows.filter((q) => q.dataset === r.dataset && q.family === r.family && q.seed !== r.seed);
    if (others.length) {
      const best = Math.max(...others.map((q) => q.accuracy));
      if (r.accuracy < best - familyGap) reasons.push(`accuracy ${r.accuracy.toFixed(3)} is ${pts(best - r.accuracy)} points below the best other ${r.family} seed (${best.toFixed(3)})`);
    }
    if (r.family !== standard) {
      const std = rows.filter((q) => q.dataset === r.dataset && q.family === standard && !atChance(q));
      if (std.length) {
        const m = std.reduce((s, q) => s + q.accuracy, 0) / std.length;
        if (r.accuracy < m - standardGap) reasons.push(`accuracy ${r.accuracy.toFixed(3)} is ${pts(m - r.accuracy)} points below standard training (${m.toFixed(3)})`);
      }
    }
    return { ...r, collapsed: reasons.length > 0, reason: reasons.join('; ') };
  });
}
