/**
 * The two spectrogram front-ends of the papers, as one resolved configuration shared by the
 * reference (JS) path and the differentiable (tfjs) path.
 *
 *   'logfilt' (P1, madmom LogarithmicFilteredSpectrogram): 22.05 kHz, frame 2048, hop 704 (31.3 fps),
 *      symmetric Hann, centred frames, |STFT| -> 149 log-spaced bands (24/octave, 20 Hz-16 kHz)
 *      -> log10(1 + x)  (madmom's default log base; `log: 'ln'` gives ln(1 + x)).
 *   'mel' (P2, Schlueter & Lehner): 22.05 kHz, frame 1024, hop 315 (70 fps), symmetric Hann,
 *      frames from sample 0 (no centring), |STFT| -> 80 mel bands (27.5 Hz-8 kHz)
 *      -> ln(max(1e-7, x)).
 *
 * @example
 *   spectrogramConfig('mel', { nMels: 40 }).filterbank.weights.shape; // [513, 40]
 */
import { checkOptions } from '../engine';
import { Filterbank, logFilterbank } from './logFilterbank';
import { makeWindow, WindowName } from './makeWindow';
import { melFilterbank } from './melFilterbank';
import { isPowerOfTwo } from './fft';

export type SpectrogramKind = 'logfilt' | 'mel';

export interface SpectrogramOptions {
  kind?: SpectrogramKind;
  sampleRate?: number;
  nFft?: number;
  hop?: number;
  window?: WindowName;
  /** Periodic window (default false: numpy's symmetric np.hanning, as both originals use). */
  periodic?: boolean;
  center?: boolean;
  /** 1: magnitude (default, both papers), 2: power. */
  power?: 1 | 2;
  fmin?: number;
  fmax?: number;
  /** logfilt only. Default 24. */
  bandsPerOctave?: number;
  /** mel only. Default 80. */
  nMels?: number;
  /** logfilt: 'log10' (default) or 'ln' of (1 + x); mel: always ln(max(floor, x)). */
  log?: 'log10' | 'ln' | 'none';
  /** mel only: the floor inside the log. Default 1e-7. */
  floor?: number;
}

export const SPECTROGRAM_KEYS = ['kind', 'sampleRate', 'nFft', 'hop', 'window', 'periodic', 'center', 'power', 'fmin', 'fmax', 'bandsPerOctave', 'nMels', 'log', 'floor'] as const;

export interface SpectrogramConfig {
  kind: SpectrogramKind;
  sampleRate: number;
  nFft: number;
  hop: number;
  window: Float32Array;
  center: boolean;
  power: 1 | 2;
  log: 'log10' | 'ln' | 'none';
  floor: number;
  filterbank: Filterbank;
  /** First and last STFT bin with any filter weight (the differentiable path computes only these). */
  binRange: [number, number];
  /** Frames per second = sampleRate / hop. */
  fps: number;
}

export function spectrogramConfig(kind: SpectrogramKind, options: SpectrogramOptions = {}): SpectrogramConfig {
  checkOptions('spectrogramConfig', options, SPECTROGRAM_KEYS);
  if (kind !== 'logfilt' && kind !== 'mel') throw new Error(`spectrogram: unknown kind "${kind}"; use 'logfilt' (P1) or 'mel' (P2).`);
  if (options.kind !== undefined && options.kind !== kind) throw new Error(`spectrogram: kind "${options.kind}" conflicts with "${kind}".`);
  const isMel = kind === 'mel';
  if (isMel && options.bandsPerOctave !== undefined) throw new Error('spectrogram: bandsPerOctave applies to kind logfilt, not mel.');
  if (!isMel && (options.nMels !== undefined || options.floor !== undefined)) throw new Error('spectrogram: nMels/floor apply to kind mel, not logfilt.');
  const sampleRate = options.sampleRate ?? 22050;
  const nFft = options.nFft ?? (isMel ? 1024 : 2048);
  if (!isPowerOfTwo(nFft)) throw new Error(`spectrogram: nFft must be a power of two, got ${nFft}.`);
  const hop = options.hop ?? (isMel ? 315 : 704);
  if (!Number.isInteger(hop) || hop < 1) throw new Error(`spectrogram: hop must be a positive integer, got ${hop}.`);
  const power = options.power ?? 1;
  if (power !== 1 && power !== 2) throw new Error(`spectrogram: power must be 1 or 2, got ${power}.`);
  const log = options.log ?? (isMel ? 'ln' : 'log10');
  if (!['log10', 'ln', 'none'].includes(log)) throw new Error(`spectrogram: log must be 'log10', 'ln' or 'none', got ${log}.`);
  if (isMel && log === 'log10') throw new Error("spectrogram: kind mel uses ln(max(floor, x)); log 'log10' is not offered.");
  const floor = options.floor ?? 1e-7;
  const filterbank = isMel
    ? melFilterbank({ sampleRate, nFft, nMels: options.nMels ?? 80, fmin: options.fmin ?? 27.5, fmax: options.fmax ?? 8000 })
    : logFilterbank({ sampleRate, nFft, bandsPerOctave: options.bandsPerOctave ?? 24, fmin: options.fmin ?? 20, fmax: options.fmax ?? 16000 });
  const [K, B] = filterbank.weights.shape;
  let lo = K, hi = -1;
  for (let k = 0; k < K; k++) {
    for (let b = 0; b < B; b++) {
      if (filterbank.weights.data[k * B + b] !== 0) { lo = Math.min(lo, k); hi = Math.max(hi, k); break; }
    }
  }
  return {
    kind, sampleRate, nFft, hop,
    window: makeWindow(options.window ?? 'hann', nFft, { periodic: options.periodic ?? false }),
    center: options.center ?? !isMel,
    power, log, floor, filterbank,
    binRange: [lo, hi],
    fps: sampleRate / hop,
  };
}
