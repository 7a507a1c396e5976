/**
 * In-place radix-2 complex FFT (float64), the non-differentiable reference path, and a real-input
 * FFT (`rfft`) that computes the n/2 + 1 non-negative bins of a real frame with one complex FFT
 * of half the length (the STFT's hot loop). Bit-reversal and twiddle tables are computed once per
 * length and cached.
 *
 * X[k] = sum_n x[n] exp(-2 pi i k n / N)   (inverse: exp(+...), scaled by 1/N)
 *
 * rfft packs z[m] = x[2m] + i x[2m+1] (length N/2), Z = FFT(z), then for k = 0..N/2
 *   E[k] = (Z[k] + conj(Z[N/2 - k])) / 2,  O[k] = (Z[k] - conj(Z[N/2 - k])) / (2i),
 *   X[k] = E[k] + exp(-2 pi i k / N) O[k]
 *
 * @example
 *   const re = new Float64Array([1, 0, 0, 0]), im = new Float64Array(4);
 *   fft(re, im); // re = [1, 1, 1, 1]
 *   const out = rfft(new Float64Array([1, 0, 0, 0])); // out.re = [1, 1, 1], out.im = [0, 0, 0]
 */

interface FftPlan {
  rev: Int32Array;
  /** cos / sin of 2 pi k / n for k < n / 2 */
  cos: Float64Array;
  sin: Float64Array;
}

const plans = new Map<number, FftPlan>();

function planFor(n: number): FftPlan {
  let p = plans.get(n);
  if (p) return p;
  const rev = new Int32Array(n);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    rev[i] = j;
  }
  const half = n >> 1;
  const cos = new Float64Array(Math.max(1, half)), sin = new Float64Array(Math.max(1, half));
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  p = { rev, cos, sin };
  plans.set(n, p);
  return p;
}

export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n) throw new Error(`fft: re has ${n} values, im has ${im.length}.`);
  if (!isPowerOfTwo(n)) throw new Error(`fft: length must be a power of two, got ${n}.`);
  const { rev, cos, sin } = planFor(n);
  for (let i = 1; i < n; i++) {
    const j = rev[i];
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len; // twiddle k of this stage is table entry k * step
    // twiddle outside, butterflies inside: one table read per twiddle, long inner loops early on
    for (let k = 0, t = 0; k < half; k++, t += step) {
      const cr = cos[t], ci = sign * sin[t];
      for (let a = k; a < n; a += len) {
        const b = a + half;
        const xr = re[b], xi = im[b];
        const tr = xr * cr - xi * ci;
        const ti = xr * ci + xi * cr;
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
      }
    }
  }
  if (inverse) for (let i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
}

/** Scratch buffers of rfft, per length (rfft is synchronous, so one set per length suffices). */
const scratch = new Map<number, { zr: Float64Array; zi: Float64Array }>();

/**
 * The non-negative frequency bins X[0..n/2] of a real frame x (length n, a power of two >= 2),
 * written into outRe / outIm (length >= n/2 + 1) when given.
 */
export function rfft(x: ArrayLike<number>, outRe?: Float64Array, outIm?: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  if (!isPowerOfTwo(n) || n < 2) throw new Error(`rfft: length must be a power of two >= 2, got ${n}.`);
  const h = n >> 1;
  const re = outRe ?? new Float64Array(h + 1);
  const im = outIm ?? new Float64Array(h + 1);
  if (re.length < h + 1 || im.length < h + 1) throw new Error(`rfft: output arrays need ${h + 1} values.`);
  let s = scratch.get(h);
  if (!s) {
    s = { zr: new Float64Array(h), zi: new Float64Array(h) };
    scratch.set(h, s);
  }
  const { zr, zi } = s;
  for (let m = 0; m < h; m++) {
    zr[m] = x[2 * m];
    zi[m] = x[2 * m + 1];
  }
  fft(zr, zi);
  const { cos, sin } = planFor(n);
  // k = 0 and k = h: Z[h] wraps to Z[0]
  re[0] = zr[0] + zi[0]; im[0] = 0;
  re[h] = zr[0] - zi[0]; im[h] = 0;
  for (let k = 1; k < h; k++) {
    const ar = zr[k], ai = zi[k];
    const br = zr[h - k], bi = -zi[h - k]; // conj(Z[h - k])
    const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
    // (Z[k] - conj(Z[h-k])) / (2i) = (di + i * (-dr)) / 2 with d = Z[k] - conj(Z[h-k])
    const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
    const wr = cos[k], wi = -sin[k];
    re[k] = er + wr * or - wi * oi;
    im[k] = ei + wr * oi + wi * or;
  }
  return { re, im };
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}
