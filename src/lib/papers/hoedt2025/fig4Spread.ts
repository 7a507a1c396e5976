/**
 * How far P1's adversarial predictions leave the rating range (Hoedt et al. 2025, arXiv
 * 2508.03780, Fig. 4: true vs adversarial predictions for tension and tender). In the authors'
 * logs 47-100 % of every model's adversarial predictions fall outside [0, 1], so the share outside
 * does not separate the models; what differs is how far. Per model kind and emotion, over the
 * excerpts of the selected runs:
 *
 *   min, max of yhat_adv;   outside = mean_i dist(yhat_adv_i, [0, 1]) = mean_i max(0, -yhat_i, yhat_i - 1)
 *
 * Where the authors define the figure: analysis/create_paper_plots.py, prep_label_vs_prediction
 * (seed-21 runs of A2B2E, A2M2E and aA2B2E; new-pred, the last iterate). The spread numbers are
 * ours (the paper shows the scatter only).
 *
 * @example fig4Spread(runs, { emotions: [2, 7], names: ['tension', 'tender'], seed: 21 });
 */
import type { AdversarialAt, AttackRun } from './attackRecords';
import { predictionsOf } from './attackRecords';
import { MODEL_KINDS } from './config';
import type { ModelKind } from './config';

export type Fig4SpreadRow = {
  model: ModelKind;
  emotion: string;
  /** Excerpts x seeds pooled. */
  n: number;
  min: number;
  max: number;
  /** Mean distance of the adversarial prediction outside [0, 1]. */
  meanOutside: number;
};

export function fig4Spread(runs: AttackRun[], options: { emotions: number[]; names: string[]; seed?: number; at?: AdversarialAt }): Fig4SpreadRow[] {
  const { emotions, names, seed, at = 'last' } = options;
  if (emotions.length !== names.length) throw new Error(`fig4Spread: ${emotions.length} emotion indices but ${names.length} names.`);
  const sel = runs.filter((r) => seed === undefined || r.seed === seed);
  if (!sel.length) throw new Error(`fig4Spread: no runs${seed === undefined ? '' : ` with seed ${seed}`}.`);
  const rows: Fig4SpreadRow[] = [];
  for (const k of MODEL_KINDS) {
    const rs = sel.filter((r) => r.kind === k);
    if (!rs.length) continue;
    const preds = rs.flatMap((r) => predictionsOf(r.excerpts, at));
    emotions.forEach((j, e) => {
      if (!(j >= 0 && j < preds[0].length)) throw new Error(`fig4Spread: emotion index ${j} outside 0..${preds[0].length - 1}.`);
      const v = preds.map((p) => p[j]);
      rows.push({
        model: k, emotion: names[e], n: v.length, min: Math.min(...v), max: Math.max(...v),
        meanOutside: v.reduce((s, x) => s + Math.max(0, -x, x - 1), 0) / v.length,
      });
    });
  }
  return rows;
}
