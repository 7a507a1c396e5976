/**
 * Insertion curve and its AUC (Petsiuk, Das, Saenko 2018, RISE, arXiv 1806.07421): start from the
 * baseline and insert x's features in order of decreasing attribution, steps chunks at a time,
 * tracking the target probability; AUC by the trapezoid rule over the inserted fraction in [0, 1].
 * A faithful attribution makes the probability rise fast (high AUC).
 *
 * @example insertionCurve(model, x, map, { target: 3, baseline: blurred }) // { value: AUC, ... }
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../engine';
import { MetricMeta, TensorLike, withMeta } from './common';
import { featureCurve, FeatureCurveOptions, FeatureCurveResult } from './featureCurve';

const META: MetricMeta = { name: 'Insertion AUC', description: 'Area under the target probability as the most-attributed features are inserted first (faithfulness).', higherIsBetter: true, range: [0, 1], paper: 'arXiv 1806.07421' };

function insertionCurveImpl(model: Model, x: tf.Tensor, attribution: TensorLike, options: FeatureCurveOptions = {}): FeatureCurveResult {
  return featureCurve('insertionCurve', META, 'insertion', model, x, attribution, options);
}

export const insertionCurve = withMeta(insertionCurveImpl, META);
