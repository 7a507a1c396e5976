/**
 * An SNR budget in dB as a per-example L2 budget: SNR = 20 log10(||x|| / ||delta||), so
 *   eps_i = ||x_i||_2 * 10^(-snrDb / 20).
 *
 * @example snrEps(x, 30)   // the L2 radius of a perturbation 30 dB below each example
 */
import * as tf from '@tensorflow/tfjs';
import { rowL2 } from './perturbationSizes';

export function snrEps(x: tf.Tensor, snrDb: number | number[]): number[] {
  const n = x.shape[0];
  const snr = Array.isArray(snrDb) ? snrDb : new Array(n).fill(snrDb);
  if (snr.length !== n) throw new Error(`snrEps: snrDb has ${snr.length} entries for ${n} examples.`);
  snr.forEach((v) => {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`snrEps: snrDb must be a number (dB), got ${v}.`);
  });
  const norms = tf.tidy(() => Array.from(rowL2(x).dataSync()));
  return norms.map((nx, i) => nx * Math.pow(10, -snr[i] / 20));
}
