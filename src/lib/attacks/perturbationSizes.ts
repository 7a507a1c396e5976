/**
 * The one definition of a perturbation's size, per example of a batch (attack results, sweeps,
 * boundary searches and metrics.snrDb all use it): with delta_i = xAdv_i - x_i,
 *
 *   l2_i    = ||delta_i||_2
 *   linf_i  = max_j |delta_ij|
 *   snrDb_i = 20 log10(||x_i||_2 / ||delta_i||_2)   (Infinity where delta_i = 0)
 *
 * The SNR is the one Praher et al. (arXiv 2107.09045) and Hoedt et al. report for audio; computed
 * on whatever x is (waveform, spectrogram or image). A paper whose authors define their SNR
 * differently keeps that definition as its own named function (e.g. papers/hoedt2025 approxSnrDb).
 *
 * @example
 *   const { l2, linf, snrDb } = perturbationSizes(x, r.xAdv);   // one number per example each
 */
import * as tf from '@tensorflow/tfjs';

export interface PerturbationSizes {
  l2: number[];
  linf: number[];
  snrDb: number[];
}

/** Per-example L2 norm of a batch tensor: [N]. */
export function rowL2(t: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => t.reshape([t.shape[0], -1]).square().sum(1).sqrt()) as tf.Tensor1D;
}

/** Per-example Linf norm of a batch tensor: [N]. */
export function rowLinf(t: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => t.reshape([t.shape[0], -1]).abs().max(1)) as tf.Tensor1D;
}

export function perturbationSizes(x: tf.Tensor, xAdv: tf.Tensor): PerturbationSizes {
  if (!(x instanceof tf.Tensor) || !(xAdv instanceof tf.Tensor)) throw new Error('perturbationSizes: x and xAdv must be tf.Tensors.');
  if (!tf.util.arraysEqual(x.shape, xAdv.shape)) throw new Error(`perturbationSizes: x [${x.shape}] and xAdv [${xAdv.shape}] differ in shape.`);
  if (x.rank < 2) throw new Error(`perturbationSizes: x must be a batch [N, ...], got shape [${x.shape}]; add a batch axis for one signal.`);
  const [l2, linf, nx] = tf.tidy(() => {
    const d = xAdv.sub(x);
    return [rowL2(d), rowLinf(d), rowL2(x)].map((t) => Array.from(t.dataSync()));
  }) as unknown as number[][];
  const snrDb = l2.map((n, i) => (n === 0 ? Infinity : 20 * Math.log10(nx[i] / n)));
  return { l2, linf, snrDb };
}
