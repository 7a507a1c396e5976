/**
 * Sparseness of an explanation: the Gini index of |attribution| per example (Chalasani et al. 2020,
 * "Concise Explanations of Neural Networks using Adversarial Training", arXiv 1810.06583; Hurley &
 * Rickard 2009). With v = |a| sorted ascending, v_(1) ≤ ... ≤ v_(d):
 *   G(v) = Σ_k (2k - d - 1) v_(k) / (d Σ_k v_(k))
 * 0 for a constant map, (d - 1)/d for a one-hot map. NaN for an all-zero map.
 *
 * @example sparseness(map) // { value: 0.71, perExample: [...] }
 */
import { checkOptions } from '../engine';
import { checkBatch, MetricMeta, MetricResult, summarise, TensorLike, withMeta, withTensors } from './common';

const META: MetricMeta = { name: 'Sparseness (Gini)', description: 'Gini index of the absolute attribution: how concentrated the explanation is on few features.', higherIsBetter: true, range: [0, 1], paper: 'arXiv 1810.06583' };

function sparsenessImpl(attribution: TensorLike, options: Record<string, never> = {}): MetricResult {
  const where = 'sparseness';
  checkOptions(where, options, []);
  return withTensors(where, [[attribution, 'attribution']], (a) => {
    checkBatch(where, a, 'attribution');
    const n = a.shape[0];
    const d = a.size / n;
    const v = a.dataSync();
    const per: number[] = [];
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) row[j] = Math.abs(v[i * d + j]);
      row.sort();
      let num = 0;
      let sum = 0;
      for (let k = 1; k <= d; k++) {
        num += (2 * k - d - 1) * row[k - 1];
        sum += row[k - 1];
      }
      per.push(sum > 0 ? num / (d * sum) : NaN);
    }
    return summarise(META, per);
  });
}

export const sparseness = withMeta(sparsenessImpl, META);
