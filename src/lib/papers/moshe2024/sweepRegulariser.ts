/**
 * §3 of the P3 notebook as one step (our reconstruction): the lambda sweep of the activation-
 * sensitivity regulariser on held-out planted-object images, the lambda the stated rule picks
 * (chooseLambda), the lambdas the families then train with, and what the chosen lambda did to the
 * activation sensitivity of the regularised layers relative to standard training (lambda = 0):
 *   drop      = 1 - T(chosen) / T(standard)      T = adversarial change / spread (lambdaSweep `sensitivity`)
 *   ratioDrop = 1 - R(chosen) / R(standard)      R = adversarial / random ratio (lambdaSweep `ratio`)
 *   accDrop   = acc(standard) - acc(chosen)      on the held-out images
 * Claim 2's precondition is drop >= cfg.train.minSensitivityDrop (`sensitivityOk`); the issue's
 * target on R (ratioDrop >= cfg.train.minRatioDrop, `ratioOk`) is shown beside it, not gating.
 *
 * @example
 *   const reg = await sweepRegulariser(sweepModels, data.synthValid, cfg);
 *   reg.choice.lambda // 0.3;  reg.effect.drop // 0.81;  families(cfg, reg.lambdas)
 */
import type { ImageSet } from '../../data';
import { toTensors } from '../../data';
import { evaluate } from '../../train';
import type { P3Config } from './config';
import { chooseLambda, lambdaSweep } from './lambdaSweep';
import type { LambdaRow } from './lambdaSweep';
import type { TrainedFamily } from './trainFamily';

export interface RegulariserEffect {
  /** Adversarial change / spread on the regularised layers: chosen lambda, standard, 1 - chosen / standard. */
  sens: number;
  sens0: number;
  drop: number;
  /** Adversarial / random ratio: chosen, standard, 1 - chosen / standard. */
  ratio: number;
  ratio0: number;
  ratioDrop: number;
  /** PGD flip rate on the held-out images: chosen, standard. */
  flip: number;
  flip0: number;
  /** Held-out accuracy of standard minus the chosen model's (negative: the chosen model is more accurate). */
  accDrop: number;
}

export interface RegulariserSweep {
  /** One row per model of the sweep, lambda ascending (lambda 0 = standard). */
  rows: LambdaRow[];
  /** Held-out images the sensitivity is measured on. */
  n: number;
  choice: { lambda: number | null; rule: string };
  /** The lambdas the compared families train with: cfg.train.lambdas, or the chosen one. */
  lambdas: number[];
  /** What the chosen lambda did (null when no lambda qualifies). */
  effect: RegulariserEffect | null;
  /** Claim 2's precondition: the sensitivity fell by at least cfg.train.minSensitivityDrop. */
  sensitivityOk: boolean;
  /** The target on the adversarial / random ratio (shown, not gating). */
  ratioOk: boolean;
}

export async function sweepRegulariser(models: TrainedFamily[], valid: ImageSet, cfg: P3Config): Promise<RegulariserSweep> {
  const v = toTensors(valid);
  const n = Math.min(cfg.profile.n, valid.shape[0]);
  const x = v.x.slice(0, n);
  const y = v.y.slice(0, n);
  try {
    const rows = await lambdaSweep(models.map((m) => ({ lambda: m.family.lambda ?? 0, model: m.model })), x, y,
      { layers: cfg.train.layers, eps: cfg.train.eps.synth, steps: cfg.profile.steps, seed: 0, accuracy: (mm) => evaluate(mm, v).accuracy });
    const choice = chooseLambda(rows, { standardAccuracy: rows[0].accuracy, maxDrop: cfg.train.maxAccuracyDrop });
    const lambdas = cfg.train.lambdas.length ? cfg.train.lambdas : choice.lambda !== null ? [choice.lambda] : [];
    const std = rows[0];
    const chosen = rows.find((r) => r.lambda === choice.lambda);
    const effect = chosen
      ? { sens: chosen.sensitivity, sens0: std.sensitivity, drop: 1 - chosen.sensitivity / std.sensitivity, ratio: chosen.ratio, ratio0: std.ratio, ratioDrop: 1 - chosen.ratio / std.ratio,
        flip: chosen.flipRate, flip0: std.flipRate, accDrop: std.accuracy - chosen.accuracy }
      : null;
    return {
      rows, n, choice, lambdas, effect,
      sensitivityOk: effect !== null && effect.drop >= cfg.train.minSensitivityDrop,
      ratioOk: effect !== null && effect.ratioDrop >= cfg.train.minRatioDrop,
    };
  } finally {
    for (const t of [v.x, v.y, x, y]) t.dispose();
  }
}

/** The sweep as a table: per lambda, accuracy, both sensitivity readings (also relative to standard, and per layer), PGD flip rate. */
export function lambdaTable(rows: LambdaRow[]): Record<string, number>[] {
  const ratio0 = rows[0].ratio;
  const sens0 = rows[0].sensitivity;
  return rows.map((r) => ({
    λ: r.lambda, 'held-out accuracy': r.accuracy,
    'adv change ÷ spread (regularised layers)': r.sensitivity, 'vs standard': r.sensitivity / sens0 - 1,
    'adv/rand ratio (regularised layers)': r.ratio, 'ratio vs standard': r.ratio / ratio0 - 1,
    ...Object.fromEntries(r.layers.map((l) => [`${l.layer} adv ÷ spread`, l.spreadAdv])), ...Object.fromEntries(r.layers.map((l) => [`${l.layer} adv/rand`, l.ratio])),
    'PGD flip rate': r.flipRate,
  }));
}
