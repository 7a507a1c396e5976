/**
 * How many of the perturbed segments LIME detects (P2, Praher et al. 2021, arXiv 2107.09045,
 * Fig. 3): with P_i the k_i segments that were perturbed for example i,
 *   count_i = |top_{k_i}(w_i) ∩ P_i|   (k_i = |P_i| unless k is given).
 * value = mean count; perExample counts; `fraction` = mean of count_i / k_i.
 *
 * @example detectionCount(limeWeights, [[2, 7, 11], [0, 1, 4]]) // { value: 2.5, perExample: [3, 2] }
 */
import { checkOptions } from '../engine';
import { MetricMeta, MetricResult, summarise, TensorLike, withMeta } from './common';
import { resolveK, topKIndices, weightRows } from './segments';

export interface DetectionCountOptions {
  /** Size of LIME's top set (default: the number of perturbed segments, per example). */
  k?: number | number[];
}

export interface DetectionCountResult extends MetricResult {
  perExample: number[];
  /** Mean share of perturbed segments detected. */
  fraction: number;
}

const META: MetricMeta = { name: 'Detected perturbed segments', description: "Number of perturbed segments that appear among LIME's top-k segments.", higherIsBetter: true, paper: 'arXiv 2107.09045' };

function detectionCountImpl(weights: TensorLike, perturbed: number[][], options: DetectionCountOptions = {}): DetectionCountResult {
  const where = 'detectionCount';
  checkOptions(where, options, ['k']);
  if (!Array.isArray(perturbed) || !perturbed.every(Array.isArray)) throw new Error(`${where}: perturbed must be an array of segment-id arrays, one per example.`);
  const rows = weightRows(where, weights, 'weights', perturbed.length);
  const ks = options.k === undefined ? perturbed.map((p) => new Set(p).size) : resolveK(where, options.k, null, rows.length);
  const counts = rows.map((r, i) => {
    perturbed[i].forEach((s) => {
      if (!Number.isInteger(s) || s < 0 || s >= r.length) throw new Error(`${where}: perturbed[${i}] holds ${s}, not a segment id in [0, ${r.length}).`);
    });
    const p = new Set(perturbed[i]);
    return topKIndices(r, ks[i]).filter((s) => p.has(s)).length;
  });
  const fractions = counts.map((c, i) => (ks[i] > 0 ? c / Math.min(ks[i], new Set(perturbed[i]).size || 1) : NaN));
  const res = summarise(META, counts) as DetectionCountResult;
  res.fraction = summarise(META, fractions).value;
  return res;
}

export const detectionCount = withMeta(detectionCountImpl, META);
