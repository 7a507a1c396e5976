/**
 * Signal-to-noise ratio of a perturbation in dB (P2, Praher et al., arXiv 2107.09045; P1 reports it too):
 *
 *   SNR(x, xAdv) = 20 log10( ||x||_2 / ||x - xAdv||_2 )
 *
 * Infinity when xAdv equals x. snrDbBatch gives one value per example of a [batch, ...] tensor.
 *
 * @example
 *   snrDb(x, x.map((v) => v * 1.01)); // 40 dB
 */
import * as tf from '@tensorflow/tfjs';

export function snrDb(x: ArrayLike<number>, xAdv: ArrayLike<number>): number {
  if (x.length !== xAdv.length) throw new Error(`snrDb: x has ${x.length} samples, xAdv has ${xAdv.length}.`);
  let s = 0, d = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(xAdv[i])) throw new Error(`snrDb: sample ${i} is not finite (x ${x[i]}, xAdv ${xAdv[i]}).`);
    s += x[i] * x[i];
    const e = x[i] - xAdv[i];
    d += e * e;
  }
  return 10 * Math.log10(s / d);
}

/** Per-example SNR in dB for tensors shaped [batch, ...]; returns a Float32Array of length batch. */
export function snrDbBatch(x: tf.Tensor, xAdv: tf.Tensor): Float32Array {
  if (!x.shape.every((v, i) => v === xAdv.shape[i]) || x.rank !== xAdv.rank) {
    throw new Error(`snrDbBatch: shapes differ, x [${x.shape}] vs xAdv [${xAdv.shape}].`);
  }
  if (x.rank < 2) throw new Error(`snrDbBatch: expected [batch, ...], got shape [${x.shape}]; use snrDb for one signal.`);
  return tf.tidy(() => {
    const b = x.shape[0];
    const xs = x.reshape([b, -1]), ds = tf.sub(x, xAdv).reshape([b, -1]);
    const r = tf.div(tf.sum(tf.square(xs), 1), tf.sum(tf.square(ds), 1));
    return tf.mul(tf.div(tf.log(r), Math.LN10), 10).dataSync() as Float32Array;
  });
}
