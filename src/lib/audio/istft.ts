/**
 * Inverse STFT by weighted overlap-add (Griffin & Lim 1984 least-squares estimate):
 *
 *   y[n] = sum_t w[n - t*hop] * ifft(X[t])[n - t*hop] / sum_t w[n - t*hop]^2
 *
 * Perfect reconstruction of stft(x) wherever the squared windows overlap (sum w^2 > 0), for any
 * window and hop < nFft; samples with no window coverage are 0. Pass the same options as stft.
 *
 * @example
 *   const y = istft(stft(x, { nFft: 512, hop: 128 }), { nFft: 512, hop: 128, length: x.length }); // y ~ x
 */
import { checkOptions } from '../engine';
import { fft } from './fft';
import { Complex, resolveStft, StftOptions, STFT_KEYS } from './stft';

export interface IstftOptions extends StftOptions {
  /** Output length in samples. Default: the longest the frames cover. */
  length?: number;
}

export function istft(X: Complex, options: IstftOptions = {}): Float32Array {
  checkOptions('istft', options, [...STFT_KEYS, 'length']);
  const { nFft, hop, window, center } = resolveStft('istft', options);
  const [T, K] = X.shape;
  if (K !== nFft / 2 + 1) throw new Error(`istft: spectrum has ${K} bins, nFft = ${nFft} needs ${nFft / 2 + 1}.`);
  if (X.re.length !== T * K || X.im.length !== T * K) throw new Error(`istft: re/im length does not match shape [${T}, ${K}].`);
  const offset = center ? nFft / 2 : 0;
  const full = (T - 1) * hop + nFft - offset;
  const length = options.length ?? (center ? (T - 1) * hop : full);
  if (!Number.isInteger(length) || length < 0) throw new Error(`istft: length must be a non-negative integer, got ${length}.`);
  const acc = new Float64Array(Math.max(full, length));
  const norm = new Float64Array(acc.length);
  const br = new Float64Array(nFft), bi = new Float64Array(nFft);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) { br[k] = X.re[t * K + k]; bi[k] = X.im[t * K + k]; }
    for (let k = 1; k < nFft / 2; k++) { br[nFft - k] = br[k]; bi[nFft - k] = -bi[k]; } // Hermitian symmetry
    bi[0] = 0; bi[nFft / 2] = 0;
    fft(br, bi, true);
    const start = t * hop - offset;
    for (let j = 0; j < nFft; j++) {
      const n = start + j;
      if (n < 0 || n >= acc.length) continue;
      acc[n] += window[j] * br[j];
      norm[n] += window[j] * window[j];
    }
  }
  const y = new Float32Array(length);
  for (let n = 0; n < length; n++) y[n] = norm[n] > 1e-10 ? acc[n] / norm[n] : 0;
  return y;
}
