/**
 * Energy of a perturbation per segment (P2, Praher et al. 2021, arXiv 2107.09045, the
 * energy-based baseline): E_is = Σ_{j: seg(j) = s} delta_ij², for every example i and segment s.
 *
 * @example segmentEnergy(delta, grid) // [[e_0, ..., e_19], ...] (N rows of K energies)
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { checkBatch } from './common';
import { resolveSegmentation, Segmentation } from './segments';

export interface SegmentEnergyOptions {
  /** Number of segments K (default: max segment id + 1). */
  nSegments?: number;
}

export function segmentEnergy(delta: tf.Tensor, segmentation: Segmentation, options: SegmentEnergyOptions = {}): number[][] {
  const where = 'segmentEnergy';
  checkOptions(where, options, ['nSegments']);
  if (!(delta instanceof tf.Tensor)) throw new Error(`${where}: delta must be a tf.Tensor batch.`);
  checkBatch(where, delta, 'delta');
  const seg = resolveSegmentation(where, segmentation, delta);
  const K = options.nSegments ?? seg.nSegments;
  if (!Number.isInteger(K) || K < seg.nSegments) throw new Error(`${where}: nSegments must be an integer >= ${seg.nSegments} (max id + 1), got ${K}.`);
  const n = delta.shape[0];
  const d2 = tf.tidy(() => tf.square(delta).dataSync());
  const per = delta.size / n; // elements per example of delta
  const c = seg.channelBroadcast ? delta.shape[delta.rank - 1] : 1;
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const e = new Array<number>(K).fill(0);
    const off = seg.perExample ? i * seg.size : 0;
    for (let j = 0; j < per; j++) {
      const v = d2[i * per + j];
      if (!Number.isFinite(v)) throw new Error(`${where}: delta contains NaN or Infinity.`);
      e[seg.ids[off + Math.floor(j / c)]] += v;
    }
    out.push(e);
  }
  return out;
}
