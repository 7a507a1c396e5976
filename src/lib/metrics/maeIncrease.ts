/**
 * Change of MAE under attack (P1, Hoedt et al. 2025, arXiv 2508.03780, Fig. 3):
 *   'difference' (default): ΔMAE_i = MAE(ŷ_adv,i, y_i) - MAE(ŷ_clean,i, y_i)
 *   'ratio':                 MAE(ŷ_adv, y) / MAE(ŷ_clean, y)   (aggregate only; per example too)
 * The aggregate is computed from the aggregate MAEs (which equals the mean of per-example
 * differences for 'difference').
 *
 * @example maeIncrease(predClean, predAdv, y) // { value: 1.62, perExample, clean: MaeResult, adversarial: MaeResult }
 */
import { checkOptions } from '../engine';
import { checkSameShape, MetricMeta, MetricResult, TensorLike, withMeta, withTensors } from './common';
import { maeOf, MaeResult } from './meanAbsoluteError';

export interface MaeIncreaseOptions {
  /** 'difference' (default) or 'ratio'. */
  mode?: 'difference' | 'ratio';
}

export interface MaeIncreaseResult extends MetricResult {
  perExample: number[];
  clean: MaeResult;
  adversarial: MaeResult;
}

const META: MetricMeta = { name: 'MAE increase under attack', description: 'How much the mean absolute error grows from clean to adversarial inputs (smaller: more robust).', higherIsBetter: false, paper: 'arXiv 2508.03780' };

function maeIncreaseImpl(predClean: TensorLike, predAdv: TensorLike, target: TensorLike, options: MaeIncreaseOptions = {}): MaeIncreaseResult {
  const where = 'maeIncrease';
  checkOptions(where, options, ['mode']);
  const mode = options.mode ?? 'difference';
  if (mode !== 'difference' && mode !== 'ratio') throw new Error(`${where}: unknown mode "${mode}"; use 'difference' or 'ratio'.`);
  return withTensors(where, [[predClean, 'predClean'], [predAdv, 'predAdv'], [target, 'target']], (pc, pa, t) => {
    checkSameShape(where, pc, t, 'predClean', 'target');
    checkSameShape(where, pa, t, 'predAdv', 'target');
    const clean = maeOf(pc, t);
    const adversarial = maeOf(pa, t);
    const f = mode === 'difference' ? (a: number, c: number) => a - c : (a: number, c: number) => (c === 0 ? NaN : a / c);
    const meta = mode === 'difference' ? META : { ...META, name: 'MAE ratio under attack', range: [0, Infinity] as [number, number] };
    return {
      meta,
      value: f(adversarial.value, clean.value),
      perExample: adversarial.perExample.map((a, i) => f(a, clean.perExample[i])),
      clean,
      adversarial,
    };
  });
}

export const maeIncrease = withMeta(maeIncreaseImpl, META);
