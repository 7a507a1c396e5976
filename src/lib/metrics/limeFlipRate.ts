/**
 * LIME veracity (P2, Praher et al. 2021, arXiv 2107.09045, Tables 1-2): keep the adversarial
 * perturbation only in LIME's top-k segments (largest surrogate weights) and measure how often the
 * prediction still flips. k may be a number, one per example, or 'positive' (all positively
 * weighted segments, Table 2). See segmentFlipRate for the flip criterion.
 *
 * @example limeFlipRate(model, x, delta, grid, limeWeights, { k: 3, threshold: 0.51 }) // Table 1
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model } from '../engine';
import { MetricMeta, summarise, TensorLike, withMeta } from './common';
import { resolveK, Segmentation, topKIndices, weightRows } from './segments';
import { FLIP_KEYS, flipContext, FlipOptions, flipsFor, SegmentFlipResult } from './segmentFlipRate';

export interface LimeFlipRateOptions extends FlipOptions {
  /** Segments kept per example: a number, one per example, or 'positive' (required). */
  k: number | number[] | 'positive';
}

const META: MetricMeta = { name: 'LIME flip rate', description: "Share of adversarial examples that still flip when the perturbation is kept only in LIME's top-k segments.", higherIsBetter: true, range: [0, 1], paper: 'arXiv 2107.09045' };

async function limeFlipRateImpl(
  model: Model, x: tf.Tensor, delta: tf.Tensor, segmentation: Segmentation, weights: TensorLike, options: LimeFlipRateOptions,
): Promise<SegmentFlipResult> {
  const where = 'limeFlipRate';
  checkOptions(where, options, ['k', ...FLIP_KEYS]);
  if (!options || options.k === undefined) throw new Error(`${where}: option "k" is required (number, per-example numbers, or 'positive').`);
  const { k, ...flip } = options;
  const n = x?.shape?.[0];
  const rows = weightRows(where, weights, 'weights', n);
  const ks = resolveK(where, k, rows, rows.length);
  const selected = rows.map((r, i) => topKIndices(r, ks[i]));
  const ctx = flipContext(where, model, x, delta, segmentation, flip);
  try {
    const kmax = Math.max(...rows.map((r) => r.length));
    if (ctx.seg.nSegments > kmax) throw new Error(`${where}: the segmentation has ${ctx.seg.nSegments} segments but weights rows have ${kmax}.`);
    const flips = await flipsFor(ctx, selected);
    return { ...summarise(META, flips), perExample: flips, selected };
  } finally {
    ctx.dispose();
  }
}

export const limeFlipRate = withMeta(limeFlipRateImpl, META);
