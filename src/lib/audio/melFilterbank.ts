/**
 * Mel triangular filterbank as in Schlueter & Lehner's singing-voice detector (yaafe-compatible),
 * used by P2 (Praher et al., arXiv 2107.09045): 80 bands, 27.5 Hz - 8 kHz, on a 1024-point STFT.
 *
 *   mel(f) = 1127 ln(1 + f / 700);  peaks p_0..p_{B+1} equally spaced in mel between fmin and fmax
 *   band b: rises over bins [bin(p_b), bin(p_{b+1})) as (f - p_b) / (bin(p_{b+1}) - bin(p_b)),
 *           falls over [bin(p_{b+1}), bin(p_{b+2})) as (p_{b+2} - f) / (bin(p_{b+2}) - bin(p_{b+1})),
 *           then normalised to unit sum;  bin(f) = first STFT bin with frequency >= f.
 *
 * Returns weights as a [nFft/2 + 1, nMels] matrix and the peak (centre) frequencies.
 *
 * @example
 *   melFilterbank({ sampleRate: 22050, nFft: 1024, nMels: 80, fmin: 27.5, fmax: 8000 }).weights.shape; // [513, 80]
 */
import { checkOptions } from '../engine';
import { Filterbank } from './logFilterbank';

export interface MelFilterbankOptions {
  sampleRate?: number;
  nFft?: number;
  nMels?: number;
  fmin?: number;
  fmax?: number;
}

export function melFilterbank(options: MelFilterbankOptions = {}): Filterbank {
  checkOptions('melFilterbank', options, ['sampleRate', 'nFft', 'nMels', 'fmin', 'fmax']);
  const sr = options.sampleRate ?? 22050;
  const nFft = options.nFft ?? 1024;
  const B = options.nMels ?? 80;
  const fmin = options.fmin ?? 27.5;
  const fmax = options.fmax ?? 8000;
  if (!(fmin >= 0 && fmax > fmin && fmax <= sr / 2)) throw new Error(`melFilterbank: need 0 <= fmin < fmax <= sampleRate/2, got fmin ${fmin}, fmax ${fmax}, sampleRate ${sr}.`);
  if (!Number.isInteger(B) || B < 1) throw new Error(`melFilterbank: nMels must be a positive integer, got ${B}.`);
  const K = nFft / 2 + 1;
  const freqs = Float64Array.from({ length: K }, (_, k) => (k * sr) / 2 / (K - 1)); // np.linspace(0, sr/2, K)
  const toMel = (f: number) => 1127 * Math.log1p(f / 700);
  const lo = toMel(fmin), hi = toMel(fmax);
  const spacing = (hi - lo) / (B + 1);
  const peaksHz = Array.from({ length: B + 2 }, (_, i) => 700 * (Math.exp((lo + i * spacing) / 1127) - 1));
  const peaksBin = peaksHz.map((f) => { let k = 0; while (k < K && freqs[k] < f) k++; return k; });
  const w = new Float32Array(K * B);
  for (let b = 0; b < B; b++) {
    const [lh, th, rh] = [peaksHz[b], peaksHz[b + 1], peaksHz[b + 2]];
    const [lb, tb, rb] = [peaksBin[b], peaksBin[b + 1], peaksBin[b + 2]];
    let sum = 0;
    for (let k = lb; k < tb; k++) { const v = (freqs[k] - lh) / (tb - lb); w[k * B + b] = v; sum += v; }
    for (let k = tb; k < rb; k++) { const v = (rh - freqs[k]) / (rb - tb); w[k * B + b] = v; sum += v; }
    if (sum > 0) for (let k = lb; k < rb; k++) w[k * B + b] /= sum;
    else throw new Error(`melFilterbank: band ${b} (${th.toFixed(1)} Hz) covers no STFT bin; use fewer bands or a larger nFft.`);
  }
  return { weights: { data: w, shape: [K, B] }, centers: Float32Array.from(peaksHz.slice(1, B + 1)) };
}
