/**
 * Flip rate vs k for LIME's top-k segments and the energy-based top-k (P2, Praher et al. 2021,
 * arXiv 2107.09045, Fig. 2), plus the top-k overlap of the two rankings at each k. One batched
 * forward pass per (k, ranking); the clean outputs are computed once.
 *
 * @example limeVeracityCurve(model, x, delta, grid, limeWeights, { ks: [1, 2, ..., 20], threshold: 0.51 })
 *   // { ks, lime: [rates], energy: [rates], overlap: [shares], limePerExample, energyPerExample }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model } from '../engine';
import { MetricMeta, TensorLike, withMeta } from './common';
import { Segmentation, topKIndices, weightRows } from './segments';
import { segmentEnergy } from './segmentEnergy';
import { FLIP_KEYS, flipContext, FlipOptions, flipsFor } from './segmentFlipRate';
import { topKOverlap } from './topKOverlap';

export interface LimeVeracityCurveOptions extends FlipOptions {
  /** The values of k (default 1..K). */
  ks?: number[];
}

export interface LimeVeracityCurveResult {
  meta: MetricMeta;
  ks: number[];
  /** Flip rate per k keeping LIME's top-k segments. */
  lime: number[];
  /** Flip rate per k keeping the k highest-energy segments. */
  energy: number[];
  /** Mean top-k overlap between the two rankings per k. */
  overlap: number[];
  /** Per k, per example flips (0/1). */
  limePerExample: number[][];
  energyPerExample: number[][];
}

const META: MetricMeta = { name: 'Flip rate vs k', description: 'Flip rate when keeping the perturbation in the top-k segments of LIME and of the perturbation energy, for each k.', higherIsBetter: true, range: [0, 1], paper: 'arXiv 2107.09045' };

async function limeVeracityCurveImpl(
  model: Model, x: tf.Tensor, delta: tf.Tensor, segmentation: Segmentation, weights: TensorLike, options: LimeVeracityCurveOptions = {},
): Promise<LimeVeracityCurveResult> {
  const where = 'limeVeracityCurve';
  checkOptions(where, options, ['ks', ...FLIP_KEYS]);
  const { ks: ksOpt, ...flip } = options;
  const ctx = flipContext(where, model, x, delta, segmentation, flip);
  try {
    const rows = weightRows(where, weights, 'weights', x.shape[0]);
    const K = rows[0].length;
    const ks = ksOpt ?? Array.from({ length: K }, (_, i) => i + 1);
    ks.forEach((k) => {
      if (!Number.isInteger(k) || k < 0) throw new Error(`${where}: ks must hold non-negative integers, got ${k}.`);
    });
    const energy = segmentEnergy(delta, segmentation, { nSegments: Math.max(K, ctx.seg.nSegments) });
    const res: LimeVeracityCurveResult = { meta: META, ks: ks.slice(), lime: [], energy: [], overlap: [], limePerExample: [], energyPerExample: [] };
    for (const k of ks) {
      const fl = await flipsFor(ctx, rows.map((r) => topKIndices(r, k)));
      const fe = await flipsFor(ctx, energy.map((e) => topKIndices(e, k)));
      res.limePerExample.push(fl);
      res.energyPerExample.push(fe);
      res.lime.push(fl.reduce((s, v) => s + v, 0) / fl.length);
      res.energy.push(fe.reduce((s, v) => s + v, 0) / fe.length);
      res.overlap.push(k === 0 ? NaN : topKOverlap(rows, energy.map((e) => e.slice(0, K)), { k }).value);
    }
    return res;
  } finally {
    ctx.dispose();
  }
}

export const limeVeracityCurve = withMeta(limeVeracityCurveImpl, META);
