/**
 * Mean absolute error of regression outputs (P1, Hoedt et al. 2025, arXiv 2508.03780: Table 1 MAE
 * over the 8 emotion ratings):
 *   MAE = (1/(N K)) Σ_i Σ_k |ŷ_ik - y_ik|;  per example: (1/K) Σ_k |ŷ_ik - y_ik|;  per target: (1/N) Σ_i.
 *
 * @example meanAbsoluteError(pred, y) // { meta, value: 0.10, perExample: [...], perTarget: [8 values] }
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../engine';
import { checkSameShape, MetricMeta, MetricResult, scoped, TensorLike, withMeta, withTensors } from './common';

export interface MaeResult extends MetricResult {
  perExample: number[];
  /** MAE per output column (target). */
  perTarget: number[];
}

export const MAE_META: MetricMeta = {
  name: 'MAE',
  description: 'Mean absolute error between predictions and targets.',
  higherIsBetter: false,
  range: [0, Infinity],
};

function meanAbsoluteErrorImpl(pred: TensorLike, target: TensorLike, options: Record<string, never> = {}): MaeResult {
  const where = 'meanAbsoluteError';
  checkOptions(where, options, []);
  return withTensors(where, [[pred, 'pred'], [target, 'target']], (p, t) => {
    checkSameShape(where, p, t, 'pred', 'target');
    return maeOf(p, t);
  });
}

/** MAE pieces of two same-shape tensors ([N] or [N, ...] read as [N, K]). */
export function maeOf(p: tf.Tensor, t: tf.Tensor): MaeResult {
  const [perExample, perTarget, value] = scoped(() => {
    const n = p.shape[0];
    const d = tf.abs(tf.sub(p, t)).reshape([n, -1]);
    return [d.mean(1).dataSync(), d.mean(0).dataSync(), d.mean().dataSync()[0]] as const;
  });
  return { meta: MAE_META, value, perExample: Array.from(perExample), perTarget: Array.from(perTarget) };
}

export const meanAbsoluteError = withMeta(meanAbsoluteErrorImpl, MAE_META);
