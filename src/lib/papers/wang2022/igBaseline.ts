/**
 * The fixed baselines of Integrated Gradients compared against BIG's boundary point (P4,
 * arXiv 2103.11257, baseline sensitivity; Sturmfels, Lundberg & Lee 2020, "Visualizing the Impact
 * of Feature Attribution Baselines", distill.pub):
 *
 *   black    b = 0
 *   white    b = 1
 *   uniform  b ~ U[0, 1] per pixel (seeded)
 *   blurred  b = G_sigma * x  (separable Gaussian blur per channel, kernel radius ceil(3 sigma),
 *                              edges replicated; no FFT)
 *
 * Inputs are NHWC images in [0, 1]. Returns a new tensor shaped like x (caller disposes).
 *
 * @example
 *   const b = igBaseline(x, 'blurred', { sigma: 3 });
 *   await explain.integratedGradients(model, x, { target, baseline: b });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, Rng } from '../../engine';

export const IG_BASELINES = ['black', 'white', 'uniform', 'blurred'] as const;
export type IgBaselineKind = (typeof IG_BASELINES)[number];

export interface IgBaselineOptions {
  /** Seed of the uniform noise (default 0). */
  seed?: number;
  /** Blur sd in pixels (default 3). */
  sigma?: number;
}

export function igBaseline(x: tf.Tensor, kind: IgBaselineKind, options: IgBaselineOptions = {}): tf.Tensor {
  const where = 'igBaseline';
  checkOptions(where, options, ['seed', 'sigma']);
  if (x.rank !== 4) throw new Error(`${where}: x must be NHWC images [N, H, W, C], got shape [${x.shape}].`);
  const { seed = 0, sigma = 3 } = options;
  switch (kind) {
    case 'black':
      return tf.zerosLike(x);
    case 'white':
      return tf.onesLike(x);
    case 'uniform':
      return tf.tensor(new Rng(seed).uniforms(x.size), x.shape);
    case 'blurred':
      if (!(Number.isFinite(sigma) && sigma > 0)) throw new Error(`${where}: sigma must be > 0, got ${sigma}.`);
      return tf.tensor(gaussianBlur(x.dataSync() as Float32Array, x.shape as [number, number, number, number], sigma), x.shape);
    default:
      throw new Error(`${where}: unknown baseline ${JSON.stringify(kind)}; use one of ${IG_BASELINES.join(', ')}.`);
  }
}

/** Separable Gaussian blur of NHWC data (edges replicated); the kernel sums to 1. */
export function gaussianBlur(data: Float32Array, shape: [number, number, number, number], sigma: number): Float32Array {
  const [n, h, w, c] = shape;
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const ks = k.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k.length; i++) k[i] /= ks;
  const tmp = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const at = (b: number, y: number, x: number, ch: number) => ((b * h + y) * w + x) * c + ch;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let j = -r; j <= r; j++) s += k[j + r] * data[at(b, y, Math.min(w - 1, Math.max(0, xx + j)), ch)];
          tmp[at(b, y, xx, ch)] = s;
        }
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let j = -r; j <= r; j++) s += k[j + r] * tmp[at(b, Math.min(h - 1, Math.max(0, y + j)), xx, ch)];
          out[at(b, y, xx, ch)] = s;
        }
  return out;
}
