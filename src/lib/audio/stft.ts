/**
 * Short-time Fourier transform (reference path, float64 radix-2 FFT).
 *
 *   X[t, k] = sum_{j=0}^{N-1} w[j] x[t*hop + j - N/2] exp(-2 pi i j k / N),   k = 0..N/2
 *
 * (frames centred on t*hop when `center`, see frameSignal). Returns real and imaginary parts as
 * [frames, N/2 + 1] matrices.
 *
 * @example
 *   const X = stft(x, { nFft: 1024, hop: 256 });
 *   const mag = magnitude(X); // |X|, [frames, 513]
 */
import { checkOptions } from '../engine';
import { isPowerOfTwo, rfft } from './fft';
import { frameSignal } from './frameSignal';
import { makeWindow, WindowName } from './makeWindow';
import { Mat } from './mat';

export interface StftOptions {
  /** FFT size = frame length (power of two). Default 2048. */
  nFft?: number;
  /** Hop size in samples. Default nFft / 4. */
  hop?: number;
  /** Window name or explicit window of length nFft. Default 'hann'. */
  window?: WindowName | Float32Array;
  /** Periodic (true, default) or symmetric (false) named window. */
  periodic?: boolean;
  /** Centre frames on t * hop with zero padding. Default true. */
  center?: boolean;
}

export interface Complex {
  re: Float32Array;
  im: Float32Array;
  shape: [number, number];
}

export const STFT_KEYS = ['nFft', 'hop', 'window', 'periodic', 'center'] as const;

/** Resolve STFT options to concrete values and the window array. */
export function resolveStft(where: string, options: StftOptions): { nFft: number; hop: number; window: Float32Array; center: boolean } {
  const nFft = options.nFft ?? 2048;
  if (!isPowerOfTwo(nFft)) throw new Error(`${where}: nFft must be a power of two, got ${nFft}.`);
  const hop = options.hop ?? nFft / 4;
  if (!Number.isInteger(hop) || hop < 1) throw new Error(`${where}: hop must be a positive integer, got ${hop}.`);
  const w = options.window ?? 'hann';
  const window = typeof w === 'string' ? makeWindow(w, nFft, { periodic: options.periodic ?? true }) : w;
  if (!(window instanceof Float32Array) || window.length !== nFft) {
    throw new Error(`${where}: window must be a name or a Float32Array of length nFft = ${nFft}.`);
  }
  return { nFft, hop, window, center: options.center ?? true };
}

export function stft(x: ArrayLike<number>, options: StftOptions = {}): Complex {
  checkOptions('stft', options, STFT_KEYS);
  const { nFft, hop, window, center } = resolveStft('stft', options);
  const frames = frameSignal(x, { frameLength: nFft, hop, center });
  const T = frames.shape[0];
  const K = nFft / 2 + 1;
  const re = new Float32Array(T * K), im = new Float32Array(T * K);
  const buf = new Float64Array(nFft);
  const br = new Float64Array(K), bi = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < nFft; j++) buf[j] = frames.data[t * nFft + j] * window[j];
    rfft(buf, br, bi);
    re.set(br, t * K);
    im.set(bi, t * K);
  }
  return { re, im, shape: [T, K] };
}

/** |X|^power elementwise (power 1: magnitude, 2: power spectrum). */
export function magnitude(X: Complex, power: 1 | 2 = 1): Mat {
  const out = new Float32Array(X.re.length);
  for (let i = 0; i < out.length; i++) {
    const p = X.re[i] * X.re[i] + X.im[i] * X.im[i];
    out[i] = power === 2 ? p : Math.sqrt(p);
  }
  return { data: out, shape: [X.shape[0], X.shape[1]] };
}
