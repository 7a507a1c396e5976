/**
 * Griffin-Lim phase reconstruction (Griffin & Lim 1984) with the "fast" momentum of Perraudin et
 * al. 2013: find a signal whose STFT magnitude approximates a given one.
 *
 *   repeat: y = istft(M * e^{i phi});  X = stft(y);  A = X - (alpha / (1 + alpha)) X_prev;  phi = angle(A)
 *
 * Starts from seeded random phases; same seed, same signal.
 *
 * @example
 *   const y = griffinLim(magnitude(stft(x, o)), { ...o, iterations: 50, length: x.length });
 */
import { checkOptions, Rng } from '../engine';
import { istft } from './istft';
import { Mat } from './mat';
import { Complex, stft, StftOptions, STFT_KEYS } from './stft';

export interface GriffinLimOptions extends StftOptions {
  /** Default 32. */
  iterations?: number;
  /** Fast Griffin-Lim momentum alpha (0 = classic). Default 0.99. */
  momentum?: number;
  /** Output length in samples (default: what the frames cover). */
  length?: number;
  /** Seed for the initial random phases. Default 0. */
  seed?: number;
  /** Start from these phases (radians, [frames, bins]) instead of random ones. */
  initialPhase?: Float32Array;
}

export function griffinLim(mag: Mat, options: GriffinLimOptions = {}): Float32Array {
  checkOptions('griffinLim', options, [...STFT_KEYS, 'iterations', 'momentum', 'length', 'seed', 'initialPhase']);
  const { iterations = 32, momentum = 0.99, seed = 0, initialPhase, length, ...so } = options;
  const [T, K] = mag.shape;
  const nFft = so.nFft ?? 2048;
  if (K !== nFft / 2 + 1) throw new Error(`griffinLim: magnitude has ${K} bins, nFft = ${nFft} needs ${nFft / 2 + 1}.`);
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`griffinLim: iterations must be a non-negative integer, got ${iterations}.`);
  for (let i = 0; i < mag.data.length; i++) {
    if (!(mag.data[i] >= 0) || !Number.isFinite(mag.data[i])) throw new Error(`griffinLim: magnitude ${i} is ${mag.data[i]}; needs finite values >= 0.`);
  }
  const center = so.center ?? true;
  const hop = so.hop ?? nFft / 4;
  const outLen = length ?? (center ? (T - 1) * hop : (T - 1) * hop + nFft);
  const rng = new Rng(seed);
  const ar = new Float32Array(T * K), ai = new Float32Array(T * K);
  for (let i = 0; i < T * K; i++) {
    const phi = initialPhase ? initialPhase[i] : 2 * Math.PI * rng.uniform();
    ar[i] = Math.cos(phi); ai[i] = Math.sin(phi);
  }
  let prev: Complex | null = null;
  const build = (): Complex => {
    const re = new Float32Array(T * K), im = new Float32Array(T * K);
    for (let i = 0; i < T * K; i++) { re[i] = mag.data[i] * ar[i]; im[i] = mag.data[i] * ai[i]; }
    return { re, im, shape: [T, K] };
  };
  for (let it = 0; it < iterations; it++) {
    const y = istft(build(), { ...so, length: outLen });
    const X = stft(y, so);
    if (X.shape[0] !== T) throw new Error(`griffinLim: re-analysis gave ${X.shape[0]} frames, expected ${T}; pass the original length.`);
    const c = prev ? momentum / (1 + momentum) : 0;
    for (let i = 0; i < T * K; i++) {
      const r = X.re[i] - (prev ? c * prev.re[i] : 0), m = X.im[i] - (prev ? c * prev.im[i] : 0);
      const a = Math.hypot(r, m);
      if (a > 1e-16) { ar[i] = r / a; ai[i] = m / a; }
    }
    prev = X;
  }
  return istft(build(), { ...so, length: outLen });
}
