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
 * Two ways to compute |X| (option `method`):
 *   'fft' (default): one custom-gradient op. Forward: frame x window -> the reference path's
 *     float64 rfft (fft.ts) -> |X|, per frame in JS (the waveform is read back once). Gradient:
 *     G[k] = dL/d|X|[k] * X[k] / |X|[k] (power 2: 2 dL/dP[k] X[k]) on the used bins, one inverse
 *     complex FFT per frame (Re sum_k G[k] exp(+2 pi i j k / N)), times the window, overlap-added
 *     into the (padded) waveform's gradient.
 *   'dft': the windowed DFT as a strided conv1d with the DFT basis as kernels (all tfjs kernels).
 * Both give |X| = sqrt(Re^2 + Im^2 + 1e-20) for power 1 (so the gradient at X = 0 is 0).
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
import { memoryBudgetBytes } from '../engine';
import { fft, rfft } from './fft';

/** How the differentiable spectrogram computes |X| (see the header). */
export type SpectrogramMethod = 'fft' | 'dft';
/** Default method: 'fft' (measured faster, forward and forward + gradient; bench spectrogram_diff / _grad). */
export const DEFAULT_SPECTROGRAM_METHOD: SpectrogramMethod = 'fft';

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

export function makeSpectrogram(options: SpectrogramOptions & { kind: SpectrogramKind; method?: SpectrogramMethod }): DifferentiableSpectrogram {
  if (!options || options.kind === undefined) throw new Error("makeSpectrogram: options.kind is required ('logfilt' or 'mel').");
  const { method = DEFAULT_SPECTROGRAM_METHOD, ...specOptions } = options;
  if (method !== 'fft' && method !== 'dft') throw new Error(`makeSpectrogram: method must be 'fft' or 'dft', got ${String(method)}.`);
  const cfg = spectrogramConfig(options.kind, specOptions);
  const { nFft: N, hop, window, center, power, binRange: [lo, hi] } = cfg;
  const K = hi - lo + 1;
  const [, B] = cfg.filterbank.weights.shape;
  let dft: tf.Tensor3D | null = null;
  if (method === 'dft') {
    const kern = new Float32Array(N * 2 * K); // [N, 1, 2K]: cos columns then -sin columns
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < K; k++) {
        const ang = (2 * Math.PI * ((j * (lo + k)) % N)) / N;
        kern[j * 2 * K + k] = window[j] * Math.cos(ang);
        kern[j * 2 * K + K + k] = -window[j] * Math.sin(ang);
      }
    }
    dft = tf.keep(tf.tensor3d(kern, [N, 1, 2 * K]));
  }
  const fb = tf.keep(tf.tensor2d(cfg.filterbank.weights.data.subarray(lo * B, (hi + 1) * B), [K, B]));
  let disposed = false;
  const pad = center ? Math.floor(N / 2) : 0;

  function fn(wave: tf.Tensor2D): tf.Tensor3D {
    if (disposed) throw new Error('makeSpectrogram: used after dispose().');
    if (!(wave instanceof tf.Tensor) || wave.rank !== 2) {
      throw new Error(`makeSpectrogram: wave must be a 2-D tensor [batch, samples], got ${wave instanceof tf.Tensor ? `shape [${wave.shape}]` : typeof wave}.`);
    }
    const [batch, n] = wave.shape;
    if (batch < 1) throw new Error(`makeSpectrogram: wave holds no signals (shape [${wave.shape}]).`);
    if (n < 1) throw new Error(`makeSpectrogram: signal has 0 samples (shape [${wave.shape}]); an empty signal has no spectrogram.`);
    if (!center && n < N) throw new Error(`makeSpectrogram: signal has ${n} samples, needs at least nFft = ${N} (no centring).`);
    checkFiniteWave(wave); // as the reference path's checkSignal: one NaN would spread over whole frames
    checkMemory(batch, n, frameCount(n, N, hop, center), K, B, pad);
    return tf.tidy((): tf.Tensor3D => {
      let mag: tf.Tensor;
      if (dft) {
        const x = pad ? tf.pad(wave, [[0, 0], [pad, pad]]) : wave;
        const X = tf.conv1d(x.expandDims(2) as tf.Tensor3D, dft, hop, 'valid'); // [batch, T, 2K]
        const T = X.shape[1];
        const re = X.slice([0, 0, 0], [batch, T, K]);
        const im = X.slice([0, 0, K], [batch, T, K]);
        const pw = tf.add(tf.square(re), tf.square(im));
        mag = power === 2 ? pw : tf.sqrt(tf.add(pw, 1e-20));
      } else {
        mag = fftMagnitude(wave.dtype === 'float32' ? wave : wave.toFloat(), { N, hop, pad, lo, K, window, power });
      }
      const T = mag.shape[1]!;
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
      dft?.dispose();
      fb.dispose();
    },
  };
}

/**
 * Refuse, before the backend sees it, a call whose tensors would outgrow the memory budget (on
 * wasm an out-of-memory aborts the backend for the whole process): the padded wave, |X| on K bins
 * (the dft path's conv output is 2K) and the spectrogram, float32.
 */
function checkMemory(batch: number, n: number, T: number, K: number, B: number, pad: number): void {
  const need = 4 * batch * ((n + 2 * pad) + T * (3 * K + 2 * B));
  const budget = memoryBudgetBytes();
  if (need > budget) {
    const mib = (v: number) => (v / 2 ** 20).toFixed(0);
    throw new Error(
      `makeSpectrogram: a [${batch}, ${n}] wave (${T} frames x ${K} bins) needs about ${mib(need)} MiB of tensors, more than the memory ` +
        `budget of ${mib(budget)} MiB (ROBUSTLENS_MEMORY_MB); split the signal into excerpts, or use spec.reference(x) (no backend) for one long signal.`,
    );
  }
}

/** Throw, naming the first sample, when a [batch, samples] waveform holds NaN or Infinity. */
function checkFiniteWave(wave: tf.Tensor2D): void {
  if (wave.dtype !== 'float32') return;
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(wave)).any().dataSync()[0]);
  if (!bad) return;
  const d = wave.dataSync();
  const n = wave.shape[1];
  const i = d.findIndex((v) => !Number.isFinite(v));
  throw new Error(`makeSpectrogram: signal ${Math.floor(i / n)} sample ${i % n} is ${d[i]} (NaN or Infinity); clean the signal first.`);
}

interface FftGeometry {
  N: number;
  hop: number;
  /** Zero padding at both ends (centred frames). */
  pad: number;
  /** First bin and number of bins kept. */
  lo: number;
  K: number;
  window: Float32Array;
  power: 1 | 2;
}

/**
 * |X|^power on bins lo..lo+K-1 of the windowed frames of each row of `wave` ([batch, n] ->
 * [batch, frames, K]) as one op with its own gradient (see the file header; method 'fft').
 */
function fftMagnitude(wave: tf.Tensor, g: FftGeometry): tf.Tensor3D {
  const { N, hop, pad, lo, K, window, power } = g;
  const op = tf.customGrad(((w: tf.Tensor) => {
    const [batch, n] = w.shape as [number, number];
    const T = frameCount(n, N, hop, pad > 0);
    const x = w.dataSync() as Float32Array;
    const out = new Float32Array(batch * T * K);
    // X[k] / |X| (power 1) or 2 X[k] (power 2), kept for the gradient
    const sr = new Float32Array(batch * T * K), si = new Float32Array(batch * T * K);
    const buf = new Float64Array(N);
    const br = new Float64Array(N / 2 + 1), bi = new Float64Array(N / 2 + 1);
    for (let b = 0; b < batch; b++) {
      const row = b * n;
      for (let t = 0; t < T; t++) {
        const start = t * hop - pad;
        const j0 = Math.max(0, -start), j1 = Math.min(N, n - start);
        buf.fill(0);
        for (let j = j0; j < j1; j++) buf[j] = x[row + start + j] * window[j];
        rfft(buf, br, bi);
        const o = (b * T + t) * K;
        for (let k = 0; k < K; k++) {
          const re = br[lo + k], im = bi[lo + k];
          const p = re * re + im * im;
          if (power === 2) {
            out[o + k] = p;
            sr[o + k] = 2 * re;
            si[o + k] = 2 * im;
          } else {
            const m = Math.sqrt(p + 1e-20);
            out[o + k] = m;
            sr[o + k] = re / m;
            si[o + k] = im / m;
          }
        }
      }
    }
    const value = tf.tensor3d(out, [batch, T, K]);
    const gradFunc = (dy: tf.Tensor) => {
      const d = dy.dataSync() as Float32Array;
      const gx = new Float32Array(batch * n);
      const re = new Float64Array(N), im = new Float64Array(N);
      for (let b = 0; b < batch; b++) {
        const row = b * n;
        for (let t = 0; t < T; t++) {
          const o = (b * T + t) * K;
          re.fill(0);
          im.fill(0);
          for (let k = 0; k < K; k++) {
            re[lo + k] = d[o + k] * sr[o + k];
            im[lo + k] = d[o + k] * si[o + k];
          }
          // Re sum_k G[k] exp(+2 pi i j k / N): the inverse FFT without its 1/N
          fft(re, im, true);
          const start = t * hop - pad;
          const j0 = Math.max(0, -start), j1 = Math.min(N, n - start);
          for (let j = j0; j < j1; j++) gx[row + start + j] += N * re[j] * window[j];
        }
      }
      return tf.tensor2d(gx, [batch, n]);
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(wave) as tf.Tensor3D;
}
