/**
 * Logarithmic triangular filterbank in madmom's style (madmom.audio.filters.LogarithmicFilterbank),
 * as used by P1 (Hoedt et al., arXiv 2508.03780): 24 bands per octave from 20 Hz to 16 kHz on a
 * 2048-point STFT at 22.05 kHz gives 149 bands.
 *
 *   centres f_i = fref * 2^(i / bandsPerOctave), for i with fmin <= f_i <= fmax
 *   each f_i -> nearest STFT bin (bin frequencies k * sr / nFft, k < nFft/2: madmom drops Nyquist);
 *   duplicate bins removed (unique); consecutive bins (b_{i-1}, b_i, b_{i+1}) make a triangle
 *   rising linearly from b_{i-1} to 1 at b_i and falling to b_{i+1} (exclusive), widened to one
 *   bin if too narrow; each triangle normalised to sum 1 (normFilters).
 *
 * Returns weights as a [nFft/2 + 1, bands] matrix (spectrum row-vector times weights), the
 * Nyquist row all zeros, and the centre frequencies.
 *
 * @example
 *   logFilterbank({ sampleRate: 22050, nFft: 2048 }).weights.shape; // [1025, 149]
 */
import { checkOptions } from '../engine';
import { Mat } from './mat';

export interface LogFilterbankOptions {
  sampleRate?: number;
  nFft?: number;
  bandsPerOctave?: number;
  fmin?: number;
  fmax?: number;
  /** Reference frequency the band grid is anchored to. Default 440. */
  fref?: number;
  /** Normalise each triangle to unit sum. Default true. */
  normFilters?: boolean;
  /** Drop filters whose centre maps to an already used bin. Default true. */
  uniqueFilters?: boolean;
}

export interface Filterbank {
  /** [nFft/2 + 1, bands]. */
  weights: Mat;
  /** Centre frequency of each band in Hz. */
  centers: Float32Array;
}

export function logFilterbank(options: LogFilterbankOptions = {}): Filterbank {
  checkOptions('logFilterbank', options, ['sampleRate', 'nFft', 'bandsPerOctave', 'fmin', 'fmax', 'fref', 'normFilters', 'uniqueFilters']);
  const sr = options.sampleRate ?? 22050;
  const nFft = options.nFft ?? 2048;
  const bpo = options.bandsPerOctave ?? 24;
  const fmin = options.fmin ?? 20;
  const fmax = options.fmax ?? 16000;
  const fref = options.fref ?? 440;
  const norm = options.normFilters ?? true;
  const unique = options.uniqueFilters ?? true;
  if (!(fmin > 0 && fmax > fmin)) throw new Error(`logFilterbank: need 0 < fmin < fmax, got fmin ${fmin}, fmax ${fmax}.`);
  if (!(bpo > 0)) throw new Error(`logFilterbank: bandsPerOctave must be positive, got ${bpo}.`);
  const nBins = nFft >> 1; // madmom: fft_frequencies(frame_size // 2, sr), Nyquist excluded
  const binFreq = (k: number) => (k * sr) / nFft;
  // log_frequencies(bands_per_octave, fmin, fmax, fref)
  const left = Math.floor(Math.log2(fmin / fref) * bpo);
  const right = Math.ceil(Math.log2(fmax / fref) * bpo);
  const freqs: number[] = [];
  for (let i = left; i < right; i++) {
    const f = fref * 2 ** (i / bpo);
    if (f >= fmin && f <= fmax) freqs.push(f);
  }
  // frequencies2bins: nearest bin, ties to the right one (as numpy searchsorted + comparison)
  let bins = freqs.map((f) => {
    let idx = Math.ceil(f / (sr / nFft)); // searchsorted(left): first bin freq >= f
    idx = Math.min(Math.max(idx, 1), nBins - 1);
    if (f - binFreq(idx - 1) < binFreq(idx) - f) idx -= 1;
    return idx;
  });
  if (unique) bins = [...new Set(bins)].sort((a, b) => a - b);
  if (bins.length < 3) throw new Error(`logFilterbank: only ${bins.length} distinct bins between ${fmin} and ${fmax} Hz; need 3 for one triangle (raise nFft or widen the range).`);
  const nBands = bins.length - 2;
  const K = nFft / 2 + 1;
  const w = new Float32Array(K * nBands);
  const centers = new Float32Array(nBands);
  for (let b = 0; b < nBands; b++) {
    let [start, center, stop] = [bins[b], bins[b + 1], bins[b + 2]];
    if (stop - start < 2) { center = start; stop = start + 1; }
    centers[b] = binFreq(center);
    const vals: number[] = [];
    const c = center - start, s = stop - start;
    for (let j = 0; j < c; j++) vals.push(j / c); // np.linspace(0, 1, c, endpoint=False)
    for (let j = 0; j < s - c; j++) vals.push(1 - j / (s - c)); // np.linspace(1, 0, s-c, endpoint=False)
    const sum = vals.reduce((a, v) => a + v, 0);
    for (let j = 0; j < vals.length; j++) w[(start + j) * nBands + b] = norm ? vals[j] / sum : vals[j];
  }
  return { weights: { data: w, shape: [K, nBands] }, centers };
}
