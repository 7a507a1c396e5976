/**
 * The attribution methods P4 compares (arXiv 2103.11257), run on one batch with one target per
 * example, each with the explain module's one signature:
 *
 *   saliency    grad_x z_t(x)                         (Simonyan et al. 2014)
 *   ig          IG from the black baseline 0            (Sundararajan et al. 2017)
 *   smoothGrad  mean_k grad z_t(x + eps_k)              (Smilkov et al. 2017)
 *   agi         adversarial gradient integration        (Pan et al. 2021)
 *   bsm         grad z_t at the boundary point x'       (P4)
 *   big         IG from x' to x                         (P4)
 *   bsg         SmoothGrad at x': mean_k grad z_t(x' + eps_k)   (P4's boundary SmoothGrad; their code:
 *               BA_pytorch('BSG') = Captum NoiseTunnel(Saliency, abs=False) of the explained class's
 *               logit at the closest boundary point, eps_k ~ N(0, stdevs^2) with an absolute stdevs:
 *               pass sgSigma for that; sgNoise is Smilkov's sd relative to each image's range)
 *
 * Returns the maps (shaped like x; caller disposes), completeness gaps of the path methods and the
 * seconds each method took.
 *
 * @example
 *   const r = await attributionMaps(model, x, { target: preds, boundary: b.xBoundary, igSteps: 16 });
 *   r.maps.bsm; r.gaps.big; disposeMaps(r.maps);
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import type { Model } from '../../engine';
import { agi, big, bsm, integratedGradients, saliency, smoothGrad } from '../../explain';

export const P4_METHODS = ['saliency', 'ig', 'smoothGrad', 'agi', 'bsm', 'big', 'bsg'] as const;
export type P4Method = (typeof P4_METHODS)[number];

export interface AttributionMapsOptions {
  target: number[];
  /** Boundary points x' (shaped like x); required for bsm, big and bsg. */
  boundary?: tf.Tensor;
  /** Methods to run (default all of P4_METHODS). */
  methods?: P4Method[];
  /** IG / BIG intervals (default 32). */
  igSteps?: number;
  /** SmoothGrad copies and noise level (defaults 16, 0.15). */
  sgN?: number;
  sgNoise?: number;
  /** SmoothGrad / BSG absolute noise sd (overrides sgNoise; the authors' Captum stdevs is absolute). */
  sgSigma?: number;
  /** AGI step size and steps (defaults 0.02, 10). */
  agiEps?: number;
  agiSteps?: number;
  seed?: number;
  batchSize?: number;
}

export interface AttributionMapsResult {
  maps: Partial<Record<P4Method, tf.Tensor>>;
  gaps: Partial<Record<P4Method, number[]>>;
  seconds: Partial<Record<P4Method, number>>;
}

const KNOWN = ['target', 'boundary', 'methods', 'igSteps', 'sgN', 'sgNoise', 'sgSigma', 'agiEps', 'agiSteps', 'seed', 'batchSize'];

export async function attributionMaps(model: Model, x: tf.Tensor, options: AttributionMapsOptions): Promise<AttributionMapsResult> {
  const where = 'attributionMaps';
  checkOptions(where, options, KNOWN);
  const { target, boundary, methods = [...P4_METHODS], igSteps = 32, sgN = 16, sgNoise = 0.15, sgSigma, agiEps = 0.02, agiSteps = 10, seed = 0, batchSize = 64 } = options;
  for (const m of methods) if (!(P4_METHODS as readonly string[]).includes(m)) throw new Error(`${where}: unknown method ${JSON.stringify(m)}; use ${P4_METHODS.join(', ')}.`);
  if ((methods.includes('bsm') || methods.includes('big') || methods.includes('bsg')) && !boundary) throw new Error(`${where}: bsm, big and bsg need option "boundary" (the boundary points x').`);
  const out: AttributionMapsResult = { maps: {}, gaps: {}, seconds: {} };
  const sgNoiseOpt = sgSigma !== undefined ? { sigma: sgSigma } : { noiseLevel: sgNoise };
  const run: Record<P4Method, () => Promise<{ map: tf.Tensor; gap?: number[] }>> = {
    saliency: () => saliency(model, x, { target, batchSize }),
    ig: () => integratedGradients(model, x, { target, baseline: 0, steps: igSteps, rule: 'trapezoid', batchSize }),
    smoothGrad: () => smoothGrad(saliency, { n: sgN, ...sgNoiseOpt, seed, batchSize })(model, x, { target }),
    agi: () => agi(model, x, { target, eps: agiEps, steps: agiSteps, seed, clip: [0, 1], batchSize }),
    bsm: () => bsm(model, x, { target, boundary: boundary as tf.Tensor, batchSize }),
    big: () => big(model, x, { target, boundary: boundary as tf.Tensor, steps: igSteps, batchSize }),
    bsg: () => smoothGrad(saliency, { n: sgN, ...sgNoiseOpt, seed, batchSize })(model, boundary as tf.Tensor, { target }),
  };
  try {
    for (const m of methods) {
      const t0 = Date.now();
      const r = await run[m]();
      out.maps[m] = r.map;
      if (r.gap) out.gaps[m] = r.gap;
      out.seconds[m] = (Date.now() - t0) / 1000;
    }
  } catch (e) {
    disposeMaps(out.maps);
    throw e;
  }
  return out;
}

/** Dispose every map of a record. */
export function disposeMaps(maps: Partial<Record<string, tf.Tensor>>): void {
  for (const t of Object.values(maps)) t?.dispose();
}
