/**
 * Differentiable spectrogram in TensorFlow.js (no FFT kernel needed: wasm has none): the windowed
 * DFT is a strided conv1d whose kernels are the DFT basis times the window, so gradients flow
 * from the spectrogram back to the waveform (for waveform attacks, P2; audio-domain SNR, P1).
 *
 *   Re[t,k] = sum_j x[t*hop + j - c] w[j] cos(2 pi j k / N),  Im[t,k] = -sum_j ... sin(2 pi j k / N)
 *   |X| = sqrt(Re^2 + Im^2 + 1e-20)  (power 1) or Re^2 + Im^2 (power 2)
 *   S = log(|X| W)   with log10(1 + .) for 'logfilt', ln(max(1e-7, .)) for 'mel'
 *
 * Only the bins the filterbank uses are computed. Matches the reference path (spectrogram.ts)
 * to float32 precision (~1e-5 relative).
 *
 * @example
 *   const spec = makeSpectrogram({ kind: 'mel' });
 *   const S = spec.fn(tf.tensor2d(wave, [1, wave.length]));  // [1, frames, 80]
 *   const g = tf.grad((w) => spec.fn(w).sum())(wave2d);       // d sum(S) / d wave
 *   spec.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { Mat } from './mat';
import { spectrogramFromConfig } from './spectrogram';
import { SpectrogramConfig, spectrogramConfig, SpectrogramKind, SpectrogramOptions } from './spectrogramConfig';
import { frameCount } from './frameSignal';

export interface DifferentiableSpectrogram {
  /** [batch, samples] -> [batch, frames, bands]; differentiable w.r.t. the waveform. */
  fn(wave: tf.Tensor2D): tf.Tensor3D;
  /** The same spectrogram on the reference JS path (one signal). */
  reference(x: ArrayLike<number>): Mat;
  /** Frames produced for a signal of n samples. */
  frames(n: number): number;
  config: SpectrogramConfig;
  /** Release the precomputed kernels. */
  dispose(): void;
}

export function makeSpectrogram(options: SpectrogramOptions & { kind: SpectrogramKind }): DifferentiableSpectrogram {
  if (!options || options.kind === undefined) throw new Error("makeSpectrogram: options.kind is required ('logfilt' or 'mel').");
  const cfg = spectrogramConfig(options.kind, options);
  const { nFft: N, hop, window, center, power, binRange: [lo, hi] } = cfg;
  const K = hi - lo + 1;
  const [, B] = cfg.filterbank.weights.shape;
  const kern = new Float32Array(N * 2 * K); // [N, 1, 2K]: cos columns then -sin columns
  for (let j = 0; j < N; j++) {
    for (let k = 0; k < K; k++) {
      const ang = (2 * Math.PI * ((j * (lo + k)) % N)) / N;
      kern[j * 2 * K + k] = window[j] * Math.cos(ang);
      kern[j * 2 * K + K + k] = -window[j] * Math.sin(ang);
    }
  }
  const dft = tf.keep(tf.tensor3d(kern, [N, 1, 2 * K]));
  const fb = tf.keep(tf.tensor2d(cfg.filterbank.weights.data.subarray(lo * B, (hi + 1) * B), [K, B]));
  let disposed = false;
  const pad = center ? Math.floor(N / 2) : 0;

  function fn(wave: tf.Tensor2D): tf.Tensor3D {
    if (disposed) throw new Error('makeSpectrogram: used after dispose().');
    if (!(wave instanceof tf.Tensor) || wave.rank !== 2) {
      throw new Error(`makeSpectrogram: wave must be a 2-D tensor [batch, samples], got ${wave instanceof tf.Tensor ? `shape [${wave.shape}]` : typeof wave}.`);
    }
    const [batch, n] = wave.shape;
    if (!center && n < N) throw new Error(`makeSpectrogram: signal has ${n} samples, needs at least nFft = ${N} (no centring).`);
    return tf.tidy((): tf.Tensor3D => {
      const x = pad ? tf.pad(wave, [[0, 0], [pad, pad]]) : wave;
      const X = tf.conv1d(x.expandDims(2) as tf.Tensor3D, dft, hop, 'valid'); // [batch, T, 2K]
      const T = X.shape[1];
      const re = X.slice([0, 0, 0], [batch, T, K]);
      const im = X.slice([0, 0, K], [batch, T, K]);
      const pw = tf.add(tf.square(re), tf.square(im));
      const mag = power === 2 ? pw : tf.sqrt(tf.add(pw, 1e-20));
      const S = tf.matMul(mag.reshape([batch * T, K]), fb).reshape([batch, T, B]) as tf.Tensor3D;
      if (cfg.log === 'none') return S;
      if (cfg.kind === 'mel') return tf.log(tf.maximum(S, cfg.floor)) as tf.Tensor3D;
      const l = tf.log1p(S);
      return (cfg.log === 'ln' ? l : tf.div(l, Math.LN10)) as tf.Tensor3D;
    });
  }

  return {
    fn,
    reference: (x) => spectrogramFromConfig(x, cfg),
    frames: (n) => frameCount(n, N, hop, center),
    config: cfg,
    dispose() {
      if (disposed) return;
      disposed = true;
      dft.dispose();
      fb.dispose();
    },
  };
}
