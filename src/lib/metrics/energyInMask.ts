/**
 * Localisation: share of attribution energy inside a ground-truth mask or box, per example
 * (the "energy-based pointing game" of Wang et al. 2020, Score-CAM, arXiv 1910.01279; used by P4,
 * Wang, Fredrikson, Datta 2022, arXiv 2103.11257, against object bounding boxes):
 *   share_i = Σ_{j ∈ mask} e(a_ij) / Σ_j e(a_ij),  e(a) = a² ('squared', default) or |a| ('absolute').
 * NaN for an all-zero attribution (counted in nUndefined).
 *
 * @example energyInMask(map, boxMask([n, 32, 32, 1], boxes)) // { value: 0.62, perExample: [...] }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { MetricMeta, MetricResult, scoped, summarise, TensorLike, withMeta, withTensors } from './common';
import { alignMask } from './maskAlign';

export interface EnergyInMaskOptions {
  /** 'squared' (default): a²; 'absolute': |a|. */
  energy?: 'squared' | 'absolute';
}

const META: MetricMeta = { name: 'Energy in mask', description: 'Share of the attribution energy that falls inside the ground-truth region.', higherIsBetter: true, range: [0, 1], paper: 'arXiv 2103.11257' };

function energyInMaskImpl(attribution: TensorLike, mask: TensorLike, options: EnergyInMaskOptions = {}): MetricResult {
  const where = 'energyInMask';
  checkOptions(where, options, ['energy']);
  const energy = options.energy ?? 'squared';
  if (energy !== 'squared' && energy !== 'absolute') throw new Error(`${where}: unknown energy "${energy}"; use 'squared' or 'absolute'.`);
  return withTensors(where, [[attribution, 'attribution'], [mask, 'mask']], (a, m) =>
    scoped(() => {
      const { reduce, mask: m01 } = alignMask(where, a, m);
      const e = reduce(energy === 'squared' ? tf.square(a) : tf.abs(a));
      const n = a.shape[0];
      const inside = tf.sum(tf.mul(e, m01).reshape([n, -1]), 1).dataSync();
      const total = tf.sum(e.reshape([n, -1]), 1).dataSync();
      const per = Array.from(inside, (v, i) => (total[i] > 0 ? Math.min(1, v / total[i]) : NaN));
      return summarise(META, per);
    }),
  );
}

export const energyInMask = withMeta(energyInMaskImpl, META);
