/**
 * Fast gradient sign method (Goodfellow et al. 2015, arXiv 1412.6572): PGD with one full step and
 * no random start,
 *   x_adv = clip_range(x + eps * sign(grad_x L(f(x), y)))        (Linf; norm 'l2' gives FGM:
 *   x_adv = clip_range(x + eps * g / ||g||_2)).
 *
 * @example
 *   const r = await fgsm(model, x, y, { eps: 0.1 });   // for f(x) = w.x: moves x by 0.1 * sign(w)
 */
import * as tf from '@tensorflow/tfjs';
import { rowsPerPass } from '../engine';
import type { Model } from '../engine';
import { PGD_OPTIONS, planPgd, runPgd } from './pgd';
import type { PgdOptions, PgdResult } from './pgd';
import type { Labels } from './types';

export type FgsmOptions = Omit<PgdOptions, 'steps' | 'relStepSize' | 'stepSize' | 'randomStart' | 'restarts' | 'seed'>;

const FGSM_OPTIONS = PGD_OPTIONS.filter((k) => !['steps', 'relStepSize', 'stepSize', 'randomStart', 'restarts', 'seed'].includes(k));

export async function fgsm(model: Model, x: tf.Tensor, y: Labels, options: FgsmOptions = {}): Promise<PgdResult> {
  const { plan, lab, eps } = planPgd('fgsm', model, x, y, options, FGSM_OPTIONS);
  try {
    return runPgd({ ...plan, steps: 1, relStepSize: 1, stepSize: undefined, randomStart: false, restarts: 1 }, x, lab, eps, rowsPerPass('fgsm', model, x, options.batchSize ?? x.shape[0], 'backward'));
  } finally {
    lab.dispose();
  }
}
