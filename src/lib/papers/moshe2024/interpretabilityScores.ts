/**
 * Interpretability measured without a human (P3's question, our choice of measures): three
 * gradient attribution methods on the same inputs, each scored by six metrics against the planted
 * ground truth of synthImages.
 *   methods:  saliency  d f_y / dx (Simonyan et al. 2014, arXiv 1312.6034)
 *             IG        (x - b) * mean_a grad f_y(b + a (x - b)) (Sundararajan et al. 2017, arXiv 1703.01365)
 *             SmoothGrad mean_k saliency(x + N(0, sigma^2)) (Smilkov et al. 2017, arXiv 1706.03825)
 *   baseline b = the image's mean grey level (the background, since the object is small); the same b
 *   replaces pixels in deletion / insertion.
 *   metrics:  energy in mask (higher better), pointing game on |map| (higher), Gini sparseness
 *             (higher), max-sensitivity in an Linf ball (lower), deletion AUC (lower), insertion AUC
 *             (higher); features ordered by |map|. Target = the true class.
 *
 * @example
 *   const s = await interpretabilityScores(model, x, masks, labels, cfg.explain);
 *   s.scores.saliency.energyInMask // per-image values
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { integratedGradients, saliency, smoothGrad } from '../../explain';
import type { Attribution } from '../../explain';
import { deletionCurve, energyInMask, insertionCurve, maxSensitivity, pointingGame, sparseness } from '../../metrics';
import type { MetricMeta } from '../../metrics';

export const METHODS = ['saliency', 'integratedGradients', 'smoothGrad'] as const;
export type MethodName = (typeof METHODS)[number];
export const METHOD_LABELS: Record<MethodName, string> = { saliency: 'Saliency', integratedGradients: 'Integrated Gradients', smoothGrad: 'SmoothGrad' };

export const METRICS = ['energyInMask', 'pointingGame', 'sparseness', 'maxSensitivity', 'deletion', 'insertion'] as const;
export type MetricName = (typeof METRICS)[number];
/** Metadata of each metric (name, direction), taken from the metric functions themselves. */
export const METRIC_META: Record<MetricName, MetricMeta> = {
  energyInMask: energyInMask.meta,
  pointingGame: pointingGame.meta,
  sparseness: sparseness.meta,
  maxSensitivity: maxSensitivity.meta,
  deletion: deletionCurve.meta,
  insertion: insertionCurve.meta,
};

export interface ExplainOptions {
  igSteps: number;
  sgN: number;
  /** SmoothGrad noise sd (absolute, pixels in [0, 1]). */
  sgNoise: number;
  msN: number;
  msRadius: number;
  curveSteps: number;
  /** Unused here (the caller picks the images); accepted so a config block can be passed whole. */
  n?: number;
  seed?: number;
  /** Keep the first k maps of each method (as tensors' values) for figures. Default 0. */
  keepMaps?: number;
}

export interface InterpretabilityScores {
  /** scores[method][metric] = one value per image (NaN where undefined). */
  scores: Record<MethodName, Record<MetricName, number[]>>;
  /** First keepMaps maps per method, flat Float32Array per image (h * w * c). */
  maps: Record<MethodName, Float32Array[]>;
  /** Mean deletion / insertion curves per method (fractions on the x axis). */
  curves: Record<MethodName, { fractions: number[]; deletion: number[]; insertion: number[] }>;
}

/** Per-image constant baseline: the image's mean value, shaped like x. */
export function meanBaseline(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.onesLike(x), tf.mean(x, x.shape.slice(1).map((_, i) => i + 1), true)));
}

/** The attribution callback of a method (x => map), with the per-image baseline where needed. */
export function explainer(model: tf.LayersModel, method: MethodName, targets: number[], o: ExplainOptions): (x: tf.Tensor) => Promise<Attribution> {
  const seed = o.seed ?? 0;
  return async (x: tf.Tensor) => {
    if (method === 'saliency') return saliency(model, x, { target: targets });
    if (method === 'smoothGrad') return smoothGrad(saliency, { n: o.sgN, sigma: o.sgNoise, seed })(model, x, { target: targets });
    const b = meanBaseline(x);
    try {
      return await integratedGradients(model, x, { target: targets, baseline: b, steps: o.igSteps, rule: 'trapezoid' });
    } finally {
      b.dispose();
    }
  };
}

export async function interpretabilityScores(
  model: tf.LayersModel,
  x: tf.Tensor,
  masks: tf.Tensor,
  targets: number[],
  options: ExplainOptions,
): Promise<InterpretabilityScores> {
  checkOptions('interpretabilityScores', options, ['igSteps', 'sgN', 'sgNoise', 'msN', 'msRadius', 'curveSteps', 'n', 'seed', 'keepMaps']);
  if (targets.length !== x.shape[0]) throw new Error(`interpretabilityScores: ${targets.length} targets for ${x.shape[0]} images.`);
  const keep = options.keepMaps ?? 0;
  const scores = {} as InterpretabilityScores['scores'];
  const maps = {} as InterpretabilityScores['maps'];
  const curves = {} as InterpretabilityScores['curves'];
  const baseline = meanBaseline(x);
  try {
    for (const method of METHODS) {
      const explain = explainer(model, method, targets, options);
      const { map } = await explain(x);
      try {
        const curveOpts = { target: targets, baseline, steps: options.curveSteps, absolute: true };
        const del = deletionCurve(model, x, map, curveOpts);
        const ins = insertionCurve(model, x, map, curveOpts);
        const ms = await maxSensitivity(explain, x, { radius: options.msRadius, n: options.msN, seed: (options.seed ?? 0) + 1, clip: [0, 1] });
        scores[method] = {
          energyInMask: energyInMask(map, masks).perExample as number[],
          pointingGame: pointingGame(map, masks, { absolute: true }).perExample as number[],
          sparseness: sparseness(map).perExample as number[],
          maxSensitivity: ms.perExample as number[],
          deletion: del.perExample,
          insertion: ins.perExample,
        };
        curves[method] = { fractions: del.fractions, deletion: del.meanCurve, insertion: ins.meanCurve };
        const per = map.size / map.shape[0];
        const flat = keep > 0 ? (map.dataSync() as Float32Array) : new Float32Array(0);
        maps[method] = Array.from({ length: Math.min(keep, map.shape[0]) }, (_, i) => flat.slice(i * per, (i + 1) * per));
      } finally {
        map.dispose();
      }
    }
  } finally {
    baseline.dispose();
  }
  return { scores, maps, curves };
}
