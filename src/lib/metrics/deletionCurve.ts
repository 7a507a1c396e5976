/**
 * Deletion curve and its AUC (Petsiuk, Das, Saenko 2018, RISE, arXiv 1806.07421): remove features
 * (set them to the baseline) in order of decreasing attribution, steps chunks at a time, and track
 * the model's target probability p_k after removing the top n_k features:
 *   AUC = Σ_k (f_{k+1} - f_k)(p_k + p_{k+1}) / 2,  f_k = n_k / d ∈ [0, 1].
 * A faithful attribution makes the probability fall fast (low AUC).
 *
 * @example deletionCurve(model, x, map, { target: 3, steps: 16 }) // { value: AUC, curves, fractions, ... }
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../engine';
import { MetricMeta, TensorLike, withMeta } from './common';
import { featureCurve, FeatureCurveOptions, FeatureCurveResult } from './featureCurve';

const META: MetricMeta = { name: 'Deletion AUC', description: 'Area under the target probability as the most-attributed features are removed first (faithfulness).', higherIsBetter: false, range: [0, 1], paper: 'arXiv 1806.07421' };

function deletionCurveImpl(model: Model, x: tf.Tensor, attribution: TensorLike, options: FeatureCurveOptions = {}): FeatureCurveResult {
  return featureCurve('deletionCurve', META, 'deletion', model, x, attribution, options);
}

export const deletionCurve = withMeta(deletionCurveImpl, META);
