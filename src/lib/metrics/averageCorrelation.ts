/**
 * Pearson correlation per target across examples, and their average (P1, Hoedt et al. 2025,
 * arXiv 2508.03780, Table 1 "average correlation": mean over the 8 emotions of the correlation
 * between predicted and true ratings across songs):
 *   r_k = pearson(ŷ_·k, y_·k),  value = (1/K) Σ_k r_k   (over targets where r_k is defined).
 *
 * @example averageCorrelation(pred, y, { targetNames: EMOTIONS }) // { value: 0.73, perTarget: [...] }
 */
import { checkOptions } from '../engine';
import { pearson } from '../stats';
import { checkSameShape, MetricMeta, MetricResult, TensorLike, withMeta, withTensors } from './common';

export interface AverageCorrelationOptions {
  /** Names of the K targets (for tables); length must be K. */
  targetNames?: string[];
}

export interface AverageCorrelationResult extends MetricResult {
  /** Correlation per target (NaN where a column is constant). */
  perTarget: number[];
  targetNames?: string[];
}

const META: MetricMeta = { name: 'Average correlation', description: 'Mean over targets of the Pearson correlation between predictions and targets across examples.', higherIsBetter: true, range: [-1, 1], paper: 'arXiv 2508.03780' };

function averageCorrelationImpl(pred: TensorLike, target: TensorLike, options: AverageCorrelationOptions = {}): AverageCorrelationResult {
  const where = 'averageCorrelation';
  checkOptions(where, options, ['targetNames']);
  return withTensors(where, [[pred, 'pred'], [target, 'target']], (p, t) => {
    checkSameShape(where, p, t, 'pred', 'target');
    const n = p.shape[0];
    if (n < 2) throw new Error(`${where}: need at least 2 examples to correlate, got ${n}.`);
    const k = p.size / n;
    const pv = p.dataSync();
    const tv = t.dataSync();
    const perTarget: number[] = [];
    for (let j = 0; j < k; j++) {
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = pv[i * k + j];
        b[i] = tv[i * k + j];
      }
      perTarget.push(pearson(a, b));
    }
    if (options.targetNames && options.targetNames.length !== k) {
      throw new Error(`${where}: length mismatch, ${k} targets but ${options.targetNames.length} targetNames.`);
    }
    const defined = perTarget.filter(Number.isFinite);
    const out: AverageCorrelationResult = {
      meta: META,
      value: defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : NaN,
      perTarget,
    };
    if (defined.length < k) out.nUndefined = k - defined.length;
    if (options.targetNames) out.targetNames = options.targetNames.slice();
    return out;
  });
}

export const averageCorrelation = withMeta(averageCorrelationImpl, META);
