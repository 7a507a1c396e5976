/**
 * Overlap of two top-k segment sets per example (P2: LIME's top-k vs the perturbation's
 * highest-energy top-k): overlap_i = |top_k(a_i) ∩ top_k(b_i)| / k   (ties: lower index first).
 *
 * @example topKOverlap(limeWeights, segmentEnergy(delta, grid), { k: 3 }) // { value: 0.44, perExample }
 */
import { checkOptions } from '../engine';
import { MetricMeta, MetricResult, summarise, TensorLike, withMeta } from './common';
import { resolveK, topKIndices, weightRows } from './segments';

export interface TopKOverlapOptions {
  /** k: a number or one per example (required). */
  k: number | number[];
}

const META: MetricMeta = { name: 'Top-k overlap', description: 'Share of the k highest-ranked segments that two rankings (e.g. LIME and perturbation energy) have in common.', higherIsBetter: true, range: [0, 1], paper: 'arXiv 2107.09045' };

function topKOverlapImpl(a: TensorLike, b: TensorLike, options: TopKOverlapOptions): MetricResult {
  const where = 'topKOverlap';
  checkOptions(where, options, ['k']);
  if (!options || options.k === undefined) throw new Error(`${where}: option "k" is required.`);
  const ra = weightRows(where, a, 'a');
  const rb = weightRows(where, b, 'b', ra.length);
  const ks = resolveK(where, options.k, null, ra.length);
  const per = ra.map((row, i) => {
    if (row.length !== rb[i].length) throw new Error(`${where}: length mismatch in row ${i}: ${row.length} vs ${rb[i].length} segments.`);
    if (ks[i] === 0) return NaN;
    const ta = new Set(topKIndices(row, ks[i]));
    const common = topKIndices(rb[i], ks[i]).filter((s) => ta.has(s)).length;
    return common / Math.min(ks[i], row.length);
  });
  return summarise(META, per);
}

export const topKOverlap = withMeta(topKOverlapImpl, META);
