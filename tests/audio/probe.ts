/** Test helper: clip-level spectral features (from the log-filtered spectrogram) and a ridge probe with held-out R^2. */
import { logFilteredSpectrogram } from '../../src/lib/audio/spectrogram';
import { spectrogramConfig } from '../../src/lib/audio/spectrogramConfig';

const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]; // Krumhansl-Kessler
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

function corr(a: number[], b: number[]): number {
  const n = a.length, ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb + 1e-12);
}

const meanStd = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)];
};

/** Simple, key-invariant clip descriptors: loudness envelope, onsets, chroma shape, roughness, mode, pitch spread. */
export function clipFeatures(x: Float32Array, sampleRate: number): number[] {
  const opts = { sampleRate, hop: 512, log: 'none' as const };
  const S = logFilteredSpectrogram(x, opts);
  const centers = spectrogramConfig('logfilt', opts).filterbank.centers;
  const [T, B] = S.shape;
  const pc = Array.from(centers, (f) => ((Math.round(12 * Math.log2(f / 440)) % 12) + 12) % 12);
  const energy: number[] = [], flux: number[] = [], peakBand: number[] = [], flat: number[] = [], cent: number[] = [];
  const chroma = new Array(12).fill(0);
  let rough = 0;
  for (let t = 0; t < T; t++) {
    let e = 0, f = 0, best = 0, bi = 0, lg = 0, ce = 0;
    const c = new Array(12).fill(0);
    for (let b = 0; b < B; b++) {
      const v = S.data[t * B + b];
      e += v;
      lg += Math.log(v + 1e-9);
      ce += v * b;
      if (t > 0) f += Math.max(0, Math.log1p(100 * v) - Math.log1p(100 * S.data[(t - 1) * B + b]));
      if (centers[b] > 200 && centers[b] < 2000) { c[pc[b]] += v; if (v > best) { best = v; bi = b; } }
    }
    energy.push(e); flux.push(f); peakBand.push(bi); flat.push(Math.exp(lg / B) / (e / B + 1e-9)); cent.push(ce / (e + 1e-9));
    const cn = Math.hypot(...c) + 1e-12;
    for (let k = 0; k < 12; k++) { chroma[k] += c[k] / cn; rough += (c[k] * c[(k + 1) % 12]) / (cn * cn); }
  }
  const [em, es] = meanStd(energy);
  const [fm, fs] = meanStd(flux);
  let peaks = 0;
  for (let i = 1; i + 1 < T; i++) if (flux[i] > flux[i - 1] && flux[i] >= flux[i + 1] && flux[i] > fm + 0.5 * fs) peaks++;
  // onset periodicity: best normalised autocorrelation of the flux over lags 4..40 frames
  const fc = flux.map((v) => v - fm);
  let ac = 0;
  const a0 = fc.reduce((a, v) => a + v * v, 0) + 1e-12;
  for (let lag = 4; lag <= 40 && lag < T; lag++) { let s = 0; for (let i = lag; i < T; i++) s += fc[i] * fc[i - lag]; ac = Math.max(ac, s / a0); }
  const sorted = chroma.map((v) => v / T).sort((a, b) => b - a);
  let maj = -1, min = -1;
  for (let r = 0; r < 12; r++) {
    const rot = chroma.map((_, k) => chroma[(k + r) % 12]);
    maj = Math.max(maj, corr(rot, MAJOR));
    min = Math.max(min, corr(rot, MINOR));
  }
  const jumps = peakBand.slice(1).map((b, i) => Math.abs(b - peakBand[i]));
  return [...meanStd(flat), ...meanStd(cent), es / (em + 1e-12), fm / (em + 1e-12), fs / (fm + 1e-12), peaks / T, ac, rough / T, maj - min, maj, ...meanStd(jumps), meanStd(peakBand)[1], ...sorted.slice(0, 7)];
}

/** Ridge regression (features standardised on train) -> R^2 per target on the test rows. */
export function ridgeProbeR2(Xtr: number[][], Ytr: number[][], Xte: number[][], Yte: number[][], lambda = 1): number[] {
  const d = Xtr[0].length;
  const mu = Array.from({ length: d }, (_, j) => Xtr.reduce((a, r) => a + r[j], 0) / Xtr.length);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(Xtr.reduce((a, r) => a + (r[j] - mu[j]) ** 2, 0) / Xtr.length) || 1);
  const z = (r: number[]) => [1, ...r.map((v, j) => (v - mu[j]) / sd[j])];
  const A = Xtr.map(z), At = Xte.map(z);
  const p = d + 1;
  const G = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => A.reduce((a, r) => a + r[i] * r[j], 0) + (i === j && i > 0 ? lambda : 0)));
  const inv = invert(G);
  return Ytr[0].map((_, k) => {
    const b = Array.from({ length: p }, (_, i) => A.reduce((a, r, n) => a + r[i] * Ytr[n][k], 0));
    const w = inv.map((row) => row.reduce((a, v, j) => a + v * b[j], 0));
    const pred = At.map((r) => r.reduce((a, v, j) => a + v * w[j], 0));
    const y = Yte.map((r) => r[k]);
    const ym = y.reduce((a, v) => a + v, 0) / y.length;
    const ssr = y.reduce((a, v, i) => a + (v - pred[i]) ** 2, 0);
    const sst = y.reduce((a, v) => a + (v - ym) ** 2, 0);
    return 1 - ssr / sst;
  });
}

function invert(M: number[][]): number[][] {
  const n = M.length;
  const A = M.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    const d = A[c][c];
    for (let j = 0; j < 2 * n; j++) A[c][j] /= d;
    for (let r = 0; r < n; r++) if (r !== c) { const f = A[r][c]; for (let j = 0; j < 2 * n; j++) A[r][j] -= f * A[c][j]; }
  }
  return A.map((r) => r.slice(n));
}

/**
 * Per-clip correlates of three mid-level qualities in the log-filtered spectrogram (P1's input, hop
 * 704): triad quality (mean over frames of the best minor- minus the best major-triad chroma template,
 * 200-2000 Hz, key-invariant), the share of energy above 5 kHz (the pulse), and the bass band's
 * (< 130 Hz) summed positive log-flux (bass re-attacks).
 */
export function conceptCorrelates(x: Float32Array, sampleRate: number): { minorTriad: number; highShare: number; bassOnsets: number } {
  const opts = { sampleRate, hop: 704, log: 'none' as const };
  const S = logFilteredSpectrogram(x, opts);
  const centers = spectrogramConfig('logfilt', opts).filterbank.centers;
  const [T, B] = S.shape;
  const pc = Array.from(centers, (f) => ((Math.round(12 * Math.log2(f / 440)) % 12) + 12) % 12);
  let q = 0, hi = 0, tot = 0, bass = 0, prevBass = 0;
  for (let t = 0; t < T; t++) {
    const c = new Array(12).fill(0);
    let l = 0;
    for (let b = 0; b < B; b++) {
      const v = S.data[t * B + b];
      tot += v;
      if (centers[b] > 5000) hi += v;
      if (centers[b] < 130) l += v;
      if (centers[b] > 200 && centers[b] < 2000) c[pc[b]] += v;
    }
    let mi = 0, ma = 0;
    const s = c.reduce((a, v) => a + v, 0) + 1e-12;
    for (let r = 0; r < 12; r++) {
      mi = Math.max(mi, c[r] + c[(r + 3) % 12] + c[(r + 7) % 12]);
      ma = Math.max(ma, c[r] + c[(r + 4) % 12] + c[(r + 7) % 12]);
    }
    q += (mi - ma) / s;
    const lb = Math.log1p(100 * l);
    if (t > 0) bass += Math.max(0, lb - prevBass);
    prevBass = lb;
  }
  return { minorTriad: q / T, highShare: hi / (tot + 1e-12), bassOnsets: bass };
}
