/**
 * Energy-based baseline of the LIME veracity test (P2, Praher et al. 2021, arXiv 2107.09045,
 * Table 2 and Fig. 2): keep the perturbation only in the k segments where it has the most energy
 * (Σ delta² per segment, see segmentEnergy) and measure how often the prediction still flips.
 *
 * @example energyFlipRate(model, x, delta, grid, { k: 3, threshold: 0.51 })
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Model } from '../engine';
import { MetricMeta, summarise, withMeta } from './common';
import { resolveK, Segmentation, topKIndices } from './segments';
import { segmentEnergy } from './segmentEnergy';
import { FLIP_KEYS, flipContext, FlipOptions, flipsFor, SegmentFlipResult } from './segmentFlipRate';

export interface EnergyFlipRateOptions extends FlipOptions {
  /** Segments kept per example: a number or one per example (e.g. LIME's positive count) (required). */
  k: number | number[];
}

const META: MetricMeta = { name: 'Energy flip rate', description: 'Share of adversarial examples that still flip when the perturbation is kept only in its k highest-energy segments.', higherIsBetter: true, range: [0, 1], paper: 'arXiv 2107.09045' };

async function energyFlipRateImpl(
  model: Model, x: tf.Tensor, delta: tf.Tensor, segmentation: Segmentation, options: EnergyFlipRateOptions,
): Promise<SegmentFlipResult> {
  const where = 'energyFlipRate';
  checkOptions(where, options, ['k', ...FLIP_KEYS]);
  if (!options || options.k === undefined) throw new Error(`${where}: option "k" is required (number or per-example numbers).`);
  const { k, ...flip } = options;
  const ctx = flipContext(where, model, x, delta, segmentation, flip);
  try {
    const energy = segmentEnergy(delta, segmentation);
    const ks = resolveK(where, k, null, x.shape[0]);
    const selected = energy.map((e, i) => topKIndices(e, ks[i]));
    const flips = await flipsFor(ctx, selected);
    return { ...summarise(META, flips), perExample: flips, selected };
  } finally {
    ctx.dispose();
  }
}

export const energyFlipRate = withMeta(energyFlipRateImpl, META);
