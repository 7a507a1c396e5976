/**
 * Band-limited resampling by windowed-sinc interpolation (Kaiser window, tabulated kernel with
 * linear interpolation between table points, as resampy does).
 *
 *   y[m] = sum_k x[k] * c * sinc(c (t_m - k)) * kaiser((t_m - k) / (zeros / c)),   t_m = m * srIn / srOut,
 *   c = rolloff * min(1, srOut / srIn)  (cutoff as a fraction of the input Nyquist: anti-aliasing when downsampling)
 *
 * Output length = ceil(n * srOut / srIn). Passband flat to ~rolloff * min Nyquist; stopband ~ -80 dB (beta 8.6).
 *
 * @example
 *   const y = resample(x, 44100, 22050); // y.length = ceil(x.length / 2)
 */
import { checkOptions } from '../engine';
import { checkSignal } from './mat';

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (filter half-length at the output's cutoff). Default 16. */
  zeros?: number;
  /** Cutoff as a fraction of the lower Nyquist. Default 0.945. */
  rolloff?: number;
  /** Kaiser window beta. Default 8.6. */
  beta?: number;
}

const PER_ZERO = 512;
const tables = new Map<string, Float64Array>();

function besselI0(x: number): number {
  let s = 1, term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    s += term;
    if (term < 1e-12 * s) break;
  }
  return s;
}

/** sinc(u) * kaiser(u / zeros) sampled at u = i / PER_ZERO, i = 0..zeros*PER_ZERO. */
function kernelTable(zeros: number, beta: number): Float64Array {
  const key = `${zeros}:${beta}`;
  let t = tables.get(key);
  if (t) return t;
  t = new Float64Array(zeros * PER_ZERO + 2);
  const i0b = besselI0(beta);
  for (let i = 0; i < t.length; i++) {
    const u = i / PER_ZERO;
    const r = u / zeros;
    const win = r <= 1 ? besselI0(beta * Math.sqrt(1 - r * r)) / i0b : 0;
    t[i] = (u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u)) * win;
  }
  tables.set(key, t);
  return t;
}

export function resample(x: ArrayLike<number>, srIn: number, srOut: number, options: ResampleOptions = {}): Float32Array {
  checkOptions('resample', options, ['zeros', 'rolloff', 'beta']);
  if (!(srIn > 0) || !(srOut > 0) || !Number.isFinite(srIn) || !Number.isFinite(srOut)) {
    throw new Error(`resample: sample rates must be positive numbers, got ${srIn} -> ${srOut}.`);
  }
  checkSignal('resample', x, 1);
  const zeros = options.zeros ?? 16;
  const rolloff = options.rolloff ?? 0.945;
  const beta = options.beta ?? 8.6;
  if (!Number.isInteger(zeros) || zeros < 1) throw new Error(`resample: zeros must be a positive integer, got ${zeros}.`);
  if (!(rolloff > 0 && rolloff <= 1)) throw new Error(`resample: rolloff must be in (0, 1], got ${rolloff}.`);
  if (srIn === srOut) return Float32Array.from(x);
  const table = kernelTable(zeros, beta);
  const ratio = srOut / srIn;
  const c = rolloff * Math.min(1, ratio);
  const half = zeros / c; // half-width in input samples
  const n = x.length;
  const m = Math.ceil(n * ratio);
  const y = new Float32Array(m);
  const step = srIn / srOut;
  for (let j = 0; j < m; j++) {
    const t = j * step;
    const k0 = Math.max(0, Math.ceil(t - half)), k1 = Math.min(n - 1, Math.floor(t + half));
    let acc = 0;
    for (let k = k0; k <= k1; k++) {
      const u = Math.abs(t - k) * c * PER_ZERO;
      const i = Math.floor(u);
      const f = u - i;
      acc += x[k] * (table[i] + f * (table[i + 1] - table[i]));
    }
    y[j] = acc * c;
  }
  return y;
}
