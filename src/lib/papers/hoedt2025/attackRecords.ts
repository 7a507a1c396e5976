/**
 * P1's per-excerpt attack records (Hoedt, Flexer, Widmer 2025, arXiv 2508.03780): for every attacked
 * test excerpt, what the authors log (adversary/attacker.py, Attacker.attack: true-label, orig-pred,
 * new-pred, db), so one set of statistics can be fed either the authors' published logs
 * (loadAuthorsLogs) or our own runs (runP1).
 *
 * Two adversarial predictions exist. The authors keep the perturbation of the last threshold
 * crossing as the adversarial example (best_delta in compute_untargeted_adversary) but log as
 * new-pred the prediction at the attack's LAST iterate, and analyse that. `predLast` is theirs;
 * `predKept` (x + kept delta) is ours only (their logs do not hold it).
 *
 * @example
 *   const r: AttackRun = { kind: 'A2E', seed: 6, excerpts: [{ excerpt: '146', yTrue, predClean, predLast, snrDb: 45.1 }] };
 *   predictionsOf(r.excerpts, 'last');  // [[...8 emotions], ...]
 */
import type { ModelKind } from './config';

export interface ExcerptRecord {
  /** Excerpt id (Soundtracks number, or the synthetic clip's id). */
  excerpt: string;
  /** True emotion ratings (8, / 10). */
  yTrue: number[];
  /** Prediction on the clean input (the authors' orig-pred). */
  predClean: number[];
  /** Prediction at the attack's last iterate (the authors' new-pred: what they analyse). */
  predLast: number[];
  /** Prediction at x + the kept delta (the adversarial example); absent in the authors' logs. */
  predKept?: number[];
  /** The authors' approximate SNR of the kept perturbation in dB (their log's db; ours: approxSnrDb). */
  snrDb: number;
  /** Ours only: 20 log10(||x|| / ||kept delta||) on the normalised spectrogram (absent in the authors' logs). */
  snrL2Db?: number;
}

/** One attacked model: its kind, its seed and one record per attacked test excerpt. */
export interface AttackRun {
  kind: ModelKind;
  seed: number;
  excerpts: ExcerptRecord[];
}

/** Which adversarial prediction: 'last' (the authors': last iterate) or 'kept' (x + kept delta). */
export type AdversarialAt = 'last' | 'kept';
export type PredictionOf = 'clean' | AdversarialAt;

/** The rows [n][8] of one prediction of every record; 'kept' on records without it is an error. */
export function predictionsOf(excerpts: ExcerptRecord[], of: PredictionOf): number[][] {
  if (!excerpts.length) throw new Error('predictionsOf: no excerpt records.');
  return excerpts.map((e) => {
    const p = of === 'clean' ? e.predClean : of === 'last' ? e.predLast : e.predKept;
    if (!p) {
      throw new Error(`predictionsOf: excerpt ${e.excerpt} has no ${of === 'kept' ? 'predKept (the authors\' logs hold only the last iterate; use \'last\')' : of} prediction.`);
    }
    if (p.length !== e.yTrue.length) throw new Error(`predictionsOf: excerpt ${e.excerpt}: ${p.length} predicted values for ${e.yTrue.length} ratings.`);
    return p;
  });
}
