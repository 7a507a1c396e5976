/**
 * The regulariser's effect as a function of lambda (P3 reconstruction): for each model of a lambda
 * sweep (lambda = 0 is standard training, same budget and seed), its clean accuracy and two readings
 * of activation sensitivity on the regularised layers (activationSensitivityProfile):
 *   sensitivity = mean over the layers of T_l(delta_adv): how far PGD (Linf eps) moves layer l, in
 *                 units of the spread of its activations over the images (the sensitivity itself);
 *   ratio       = mean over the layers of S_l(delta_adv) / S_l(delta_rand): how much more PGD moves the
 *                 layer than a random perturbation of equal L2 size (an anisotropy, see the profile),
 * and the rule that picks lambda from the curve: the largest lambda whose clean accuracy is within
 * maxDrop of the standard model's (a stated rule, not a hand choice).
 *
 * @example
 *   const rows = await lambdaSweep(models, x, y, { layers: ['conv2', 'dense1'], eps: 0.1, steps: 10, accuracy });
 *   chooseLambda(rows, { standardAccuracy: rows[0].accuracy, maxDrop: 0.03 }) // { lambda: 0.3, rule: '...' }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { activationSensitivityProfile } from './activationSensitivityProfile';

export interface LambdaRow {
  lambda: number;
  accuracy: number;
  /** Mean over the regularised layers of relAdv / relRand. */
  ratio: number;
  /** Mean over the regularised layers of spreadAdv (adversarial change / the layer's spread). */
  sensitivity: number;
  /** Per layer: relAdv, relRand, their ratio, and spreadAdv. */
  layers: { layer: string; relAdv: number; relRand: number; ratio: number; spreadAdv: number }[];
  flipRate: number;
}

export interface LambdaSweepOptions {
  layers: string[];
  eps: number;
  steps?: number;
  seed?: number;
  /** Clean accuracy of a model (measured by the caller on its test set). */
  accuracy: (m: tf.LayersModel) => number;
}

export async function lambdaSweep(models: { lambda: number; model: tf.LayersModel }[], x: tf.Tensor, y: tf.Tensor, options: LambdaSweepOptions): Promise<LambdaRow[]> {
  checkOptions('lambdaSweep', options, ['layers', 'eps', 'steps', 'seed', 'accuracy']);
  const out: LambdaRow[] = [];
  for (const { lambda, model } of models) {
    const p = await activationSensitivityProfile(model, x, y, { layers: options.layers, eps: options.eps, steps: options.steps ?? 10, seed: options.seed ?? 0 });
    const layers = p.layers.map((l) => ({ layer: l.layer, relAdv: l.relAdv, relRand: l.relRand, ratio: l.relAdv / l.relRand, spreadAdv: l.spreadAdv }));
    const mean = (k: 'ratio' | 'spreadAdv') => layers.reduce((s, l) => s + l[k], 0) / layers.length;
    out.push({ lambda, accuracy: options.accuracy(model), ratio: mean('ratio'), sensitivity: mean('spreadAdv'), layers, flipRate: p.flipRate });
  }
  return out.sort((a, b) => a.lambda - b.lambda);
}

/** The largest lambda > 0 with accuracy >= standardAccuracy - maxDrop, and the rule as text (lambda null when none qualifies). */
export function chooseLambda(rows: { lambda: number; accuracy: number }[], options: { standardAccuracy: number; maxDrop: number }): { lambda: number | null; rule: string } {
  checkOptions('chooseLambda', options, ['standardAccuracy', 'maxDrop']);
  const { standardAccuracy: a0, maxDrop } = options;
  const rule = `largest λ with clean accuracy ≥ standard − ${(100 * maxDrop).toFixed(0)} points (${a0.toFixed(3)} − ${maxDrop})`;
  const ok = rows.filter((r) => r.lambda > 0 && r.accuracy >= a0 - maxDrop - 1e-12);
  if (!ok.length) return { lambda: null, rule: `${rule}: no λ qualifies` };
  return { lambda: Math.max(...ok.map((r) => r.lambda)), rule };
}
