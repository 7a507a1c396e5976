/**
 * Pointing game (Zhang et al. 2016, "Top-down Neural Attention by Excitation Backprop",
 * arXiv 1608.00507): a hit when the attribution's maximum lies inside the ground-truth mask, or
 * within `tolerance` (Euclidean distance in index units, e.g. 15 pixels in the original) of it:
 *   hit_i = [ min_{j ∈ mask_i} ||argmax_j' s(a_ij') - j||_2 ≤ tolerance ],  s(a) = a or |a|.
 * With channels and a one-channel mask, s is summed over channels first.
 *
 * @example pointingGame(map, mask, { tolerance: 2 }) // { value: 0.8, perExample: [1, 0, ...] }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { MetricMeta, MetricResult, scoped, summarise, TensorLike, withMeta, withTensors } from './common';
import { alignMask } from './maskAlign';

export interface PointingGameOptions {
  /** Distance (index units) within which a miss still counts as a hit (default 0). */
  tolerance?: number;
  /** Use |attribution| to find the maximum (default false: the signed maximum). */
  absolute?: boolean;
}

const META: MetricMeta = { name: 'Pointing game', description: 'Share of examples whose maximal attribution lies inside (or within tolerance of) the ground-truth region.', higherIsBetter: true, range: [0, 1], paper: 'arXiv 1608.00507' };

function pointingGameImpl(attribution: TensorLike, mask: TensorLike, options: PointingGameOptions = {}): MetricResult {
  const where = 'pointingGame';
  checkOptions(where, options, ['tolerance', 'absolute']);
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new Error(`${where}: tolerance must be a finite number >= 0, got ${tolerance}.`);
  return withTensors(where, [[attribution, 'attribution'], [mask, 'mask']], (a, m) =>
    scoped(() => {
      const { reduce, mask: m01, spatial } = alignMask(where, a, m);
      const n = a.shape[0];
      const s = reduce(options.absolute ? tf.abs(a) : a).reshape([n, -1]);
      const arg = tf.argMax(s, 1).dataSync();
      const mv = m01.reshape([n, -1]).dataSync();
      const d = mv.length / n;
      const strides = spatial.map((_, k) => spatial.slice(k + 1).reduce((p, v) => p * v, 1));
      const coords = (j: number) => strides.map((st, k) => Math.floor(j / st) % spatial[k]);
      const per: number[] = [];
      for (let i = 0; i < n; i++) {
        const j = arg[i];
        if (mv[i * d + j] > 0) {
          per.push(1);
          continue;
        }
        let hit = 0;
        if (tolerance > 0) {
          const c = coords(j);
          const t2 = tolerance * tolerance;
          for (let q = 0; q < d && !hit; q++) {
            if (mv[i * d + q] <= 0) continue;
            const cq = coords(q);
            let dist2 = 0;
            for (let k = 0; k < c.length; k++) dist2 += (c[k] - cq[k]) ** 2;
            if (dist2 <= t2) hit = 1;
          }
        }
        per.push(hit);
      }
      return summarise(META, per);
    }),
  );
}

export const pointingGame = withMeta(pointingGameImpl, META);
