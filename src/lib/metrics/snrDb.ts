/**
 * Signal-to-noise ratio of a perturbation in dB, per example (P1 and P2; P2 arXiv 2107.09045):
 *   SNR_i = 20 log10( ||x_i||_2 / ||x_i - xAdv_i||_2 )
 * Infinity where xAdv_i = x_i (left out of the mean and counted in nUndefined). Higher means a
 * less perceptible perturbation.
 *
 * @example snrDb(x, r.xAdv) // { meta, value: 35.2, perExample: [...] }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { checkBatch, checkSameShape, MetricMeta, MetricResult, scoped, summarise, TensorLike, withMeta, withTensors } from './common';

const META: MetricMeta = {
  name: 'SNR (dB)',
  description: 'Signal-to-noise ratio of the perturbation, 20 log10(||x|| / ||x - xAdv||); higher is less perceptible.',
  higherIsBetter: true,
};

function snrDbImpl(x: TensorLike, xAdv: TensorLike, options: Record<string, never> = {}): MetricResult {
  const where = 'snrDb';
  checkOptions(where, options, []);
  return withTensors(where, [[x, 'x'], [xAdv, 'xAdv']], (a, b) => {
    checkSameShape(where, a, b, 'x', 'xAdv');
    checkBatch(where, a);
    const [s, d] = scoped(() => {
      const n = a.shape[0];
      const xs = a.reshape([n, -1]);
      const ds = tf.sub(a, b).reshape([n, -1]);
      return [tf.sum(tf.square(xs), 1).dataSync(), tf.sum(tf.square(ds), 1).dataSync()];
    });
    const per = Array.from(s, (si, i) => (d[i] === 0 ? Infinity : 10 * Math.log10(si / d[i])));
    return summarise(META, per);
  });
}

export const snrDb = withMeta(snrDbImpl, META);
