/**
 * Signal-to-noise ratio of a perturbation in dB, per example (P1 and P2; P2 arXiv 2107.09045):
 *   SNR_i = 20 log10( ||x_i||_2 / ||x_i - xAdv_i||_2 )
 * Infinity where xAdv_i = x_i (left out of the mean and counted in nUndefined). Higher means a
 * less perceptible perturbation. The numbers are attacks.perturbationSizes' snrDb (the one definition);
 * this wraps them as a metric (metadata, mean over the finite values).
 *
 * @example snrDb(x, r.xAdv) // { meta, value: 35.2, perExample: [...] }
 */
import { checkOptions } from '../engine';
import { perturbationSizes } from '../attacks/perturbationSizes';
import { checkBatch, checkSameShape, MetricMeta, MetricResult, summarise, TensorLike, withMeta, withTensors } from './common';

const META: MetricMeta = { name: 'SNR (dB)', description: 'Signal-to-noise ratio of the perturbation, 20 log10(||x|| / ||x - xAdv||); higher is less perceptible.', higherIsBetter: true };

function snrDbImpl(x: TensorLike, xAdv: TensorLike, options: Record<string, never> = {}): MetricResult {
  const where = 'snrDb';
  checkOptions(where, options, []);
  return withTensors(where, [[x, 'x'], [xAdv, 'xAdv']], (a, b) => {
    checkSameShape(where, a, b, 'x', 'xAdv');
    checkBatch(where, a);
    const per = perturbationSizes(a, b).snrDb;
    return summarise(META, per);
  });
}

export const snrDb = withMeta(snrDbImpl, META);
