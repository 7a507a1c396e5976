/**
 * Gradient of FusedBatchNorm without Tile: tfjs 4.22 tiles rsqrt(variance + eps) to the full
 * [B, H, W, C] shape before multiplying (on wasm, Tile was a third of a P1 merCnn training epoch);
 * broadcasting gives the same numbers.
 *
 *   y = (x - mean) * r * scale + offset,  r = 1 / sqrt(variance + eps)
 *   dx = dy * r * scale                   dmean = sum(-r * scale * dy)
 *   dvariance = sum(-r^3 / 2 * (x - mean) * scale * dy)
 *   dscale = sum(dy * (x - mean) * r)     doffset = sum(dy)
 * with sums over the axes mean was broadcast along.
 *
 * @example
 *   registerGradientFixes(); // tf.grad(x => tf.batchNorm(x, m, v).sum())(x) uses no Tile
 */
import * as tf from '@tensorflow/tfjs';

export const batchNormGradient: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as tf.Tensor[];
    const g = dy as tf.Tensor;
    const scaleValue = scale == null ? tf.scalar(1) : scale;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor, shape: number[]) => (axes.length ? tf.sum(t, axes) : t).reshape(shape);
    const r = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const xMinusMean = tf.sub(x, mean);
    const dyScaled = tf.mul(g, scaleValue);
    return {
      x: () => tf.mul(g, tf.mul(r, scaleValue)).reshape(x.shape),
      mean: () => reduce(tf.mul(tf.neg(r), dyScaled), mean.shape),
      variance: () => reduce(tf.mul(tf.mul(tf.mul(tf.pow(r, 3), -0.5), xMinusMean), dyScaled), mean.shape),
      scale: () => reduce(tf.mul(g, tf.mul(xMinusMean, r)), mean.shape),
      offset: () => reduce(g, mean.shape),
    };
  },
};
