/**
 * Back to audio from a (possibly perturbed) log-filtered or mel spectrogram, for listening to
 * adversarial examples: undo the log, undo the filterbank with its pseudo-inverse, then take the
 * phase from the original signal's STFT (if given) or estimate it with Griffin-Lim.
 *
 *   F = exp-inverse of the log;   |X|^power ~ max(0, F W^+),  W^+ = (W^T W + ridge I)^-1 W^T
 *   y = istft(|X| e^{i angle(STFT(original))})      or   griffinLim(|X|)
 *
 * The filterbank discards detail (149 or 80 bands for 1025 or 513 bins), so the result is an
 * approximation; the difference to the original is the audible effect of the perturbation.
 *
 * @example
 *   const S = logFilteredSpectrogram(x);  // perturb S -> SAdv
 *   const xAdv = invertSpectrogram(SAdv, { kind: 'logfilt', phaseFrom: x });
 */
import { checkOptions } from '../engine';
import { griffinLim } from './griffinLim';
import { istft } from './istft';
import { Mat, matmul } from './mat';
import { undoLog } from './spectrogram';
import { spectrogramConfig, SpectrogramKind, SpectrogramOptions, SPECTROGRAM_KEYS } from './spectrogramConfig';
import { stft } from './stft';

/** Ridge-regularised pseudo-inverse of a [K, B] filterbank: [B, K] with F W^+ W ~ F. */
export function filterbankPinv(weights: Mat, ridge = 1e-8): Mat {
  const [K, B] = weights.shape;
  const w = weights.data;
  // G = W^T W + ridge * trace/B * I  (B x B), then solve G P = W^T for P (B x K)
  const G = new Float64Array(B * B);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < B; a++) {
      const va = w[k * B + a];
      if (va === 0) continue;
      for (let b = 0; b < B; b++) G[a * B + b] += va * w[k * B + b];
    }
  }
  let tr = 0;
  for (let a = 0; a < B; a++) tr += G[a * B + a];
  for (let a = 0; a < B; a++) G[a * B + a] += (ridge * tr) / B;
  const P = new Float64Array(B * K);
  for (let a = 0; a < B; a++) for (let k = 0; k < K; k++) P[a * K + k] = w[k * B + a];
  // Gauss-Jordan with partial pivoting on [G | P]
  for (let c = 0; c < B; c++) {
    let piv = c;
    for (let r = c + 1; r < B; r++) if (Math.abs(G[r * B + c]) > Math.abs(G[piv * B + c])) piv = r;
    if (Math.abs(G[piv * B + c]) < 1e-300) throw new Error('filterbankPinv: filterbank is singular; raise ridge.');
    if (piv !== c) {
      for (let j = 0; j < B; j++) { const t = G[c * B + j]; G[c * B + j] = G[piv * B + j]; G[piv * B + j] = t; }
      for (let j = 0; j < K; j++) { const t = P[c * K + j]; P[c * K + j] = P[piv * K + j]; P[piv * K + j] = t; }
    }
    const d = G[c * B + c];
    for (let j = 0; j < B; j++) G[c * B + j] /= d;
    for (let j = 0; j < K; j++) P[c * K + j] /= d;
    for (let r = 0; r < B; r++) {
      if (r === c) continue;
      const f = G[r * B + c];
      if (f === 0) continue;
      for (let j = 0; j < B; j++) G[r * B + j] -= f * G[c * B + j];
      for (let j = 0; j < K; j++) P[r * K + j] -= f * P[c * K + j];
    }
  }
  return { data: Float32Array.from(P), shape: [B, K] };
}

export interface InvertSpectrogramOptions extends SpectrogramOptions {
  kind: SpectrogramKind;
  /** The original waveform: its STFT phase is reused (exact phase, best quality). */
  phaseFrom?: Float32Array;
  /** Griffin-Lim iterations when no phase is given. Default 32. */
  iterations?: number;
  /** Griffin-Lim seed. Default 0. */
  seed?: number;
  /** Output length (default: phaseFrom's length, or what the frames cover). */
  length?: number;
  /** Ridge for the filterbank pseudo-inverse. Default 1e-8 (relative to the mean diagonal). */
  ridge?: number;
}

/** Linear STFT magnitude [frames, nFft/2 + 1] approximated from a log-filtered/mel spectrogram. */
export function spectrogramToMagnitude(spec: Mat, options: SpectrogramOptions & { kind: SpectrogramKind; ridge?: number }): Mat {
  const { ridge = 1e-8, ...so } = options;
  const cfg = spectrogramConfig(so.kind, so);
  const B = cfg.filterbank.weights.shape[1];
  if (spec.shape[1] !== B) throw new Error(`invertSpectrogram: spectrogram has ${spec.shape[1]} bands, the ${cfg.kind} filterbank ${B}.`);
  const F: Mat = { data: Float32Array.from(spec.data), shape: [spec.shape[0], B] };
  undoLog(F.data, cfg);
  const M = matmul(F, filterbankPinv(cfg.filterbank.weights, ridge));
  for (let i = 0; i < M.data.length; i++) {
    const v = Math.max(0, M.data[i]);
    M.data[i] = cfg.power === 2 ? Math.sqrt(v) : v;
  }
  return M;
}

export function invertSpectrogram(spec: Mat, options: InvertSpectrogramOptions): Float32Array {
  checkOptions('invertSpectrogram', options, [...SPECTROGRAM_KEYS, 'phaseFrom', 'iterations', 'seed', 'length', 'ridge']);
  if (!options || !options.kind) throw new Error("invertSpectrogram: options.kind is required ('logfilt' or 'mel').");
  const { phaseFrom, iterations = 32, seed = 0, length, ridge, ...so } = options;
  const cfg = spectrogramConfig(so.kind, so);
  const M = spectrogramToMagnitude(spec, { ...so, ridge });
  const [T, K] = M.shape;
  const st = { nFft: cfg.nFft, hop: cfg.hop, window: cfg.window, center: cfg.center };
  if (phaseFrom) {
    const X = stft(phaseFrom, st);
    if (X.shape[0] !== T) throw new Error(`invertSpectrogram: phaseFrom gives ${X.shape[0]} frames, the spectrogram has ${T}.`);
    const re = new Float32Array(T * K), im = new Float32Array(T * K);
    for (let i = 0; i < T * K; i++) {
      const a = Math.hypot(X.re[i], X.im[i]);
      if (a > 0) { re[i] = (M.data[i] * X.re[i]) / a; im[i] = (M.data[i] * X.im[i]) / a; } else re[i] = M.data[i];
    }
    return istft({ re, im, shape: [T, K] }, { ...st, length: length ?? phaseFrom.length });
  }
  return griffinLim(M, { ...st, iterations, seed, length });
}
