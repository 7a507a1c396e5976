/**
 * Reference (non-differentiable, float64 FFT) spectrograms: P1's log-filtered and P2's mel.
 *
 *   S = log(|STFT(x)|^power  W)      with W the [bins, bands] filterbank and
 *   log = log10(1 + .) (logfilt) or ln(max(1e-7, .)) (mel); see spectrogramConfig for the settings.
 *
 * @example
 *   const S = logFilteredSpectrogram(x);      // [1 + floor(n / 704), 149]
 *   const M = melSpectrogram(x);              // [1 + floor((n - 1024) / 315), 80]
 */
import { checkOptions } from '../engine';
import { checkSignal, Mat, matmul } from './mat';
import { SpectrogramConfig, spectrogramConfig, SpectrogramOptions, SPECTROGRAM_KEYS } from './spectrogramConfig';
import { magnitude, stft } from './stft';

/** The spectrogram for a resolved configuration. */
export function spectrogramFromConfig(x: ArrayLike<number>, cfg: SpectrogramConfig): Mat {
  checkSignal('spectrogram', x, cfg.center ? 1 : cfg.nFft);
  const X = stft(x, { nFft: cfg.nFft, hop: cfg.hop, window: cfg.window, center: cfg.center });
  const S = matmul(magnitude(X, cfg.power), cfg.filterbank.weights);
  applyLog(S.data, cfg);
  return S;
}

/** In place: the configured log compression. */
export function applyLog(d: Float32Array, cfg: SpectrogramConfig): void {
  if (cfg.log === 'none') return;
  if (cfg.kind === 'mel') for (let i = 0; i < d.length; i++) d[i] = Math.log(Math.max(cfg.floor, d[i]));
  else if (cfg.log === 'ln') for (let i = 0; i < d.length; i++) d[i] = Math.log1p(d[i]);
  else for (let i = 0; i < d.length; i++) d[i] = Math.log1p(d[i]) / Math.LN10;
}

/** Inverse of applyLog (in place); values at the mel floor come back as the floor. */
export function undoLog(d: Float32Array, cfg: SpectrogramConfig): void {
  if (cfg.log === 'none') return;
  if (cfg.kind === 'mel') for (let i = 0; i < d.length; i++) d[i] = Math.exp(d[i]);
  else if (cfg.log === 'ln') for (let i = 0; i < d.length; i++) d[i] = Math.expm1(d[i]);
  else for (let i = 0; i < d.length; i++) d[i] = Math.expm1(d[i] * Math.LN10);
}

/** P1's log-filtered spectrogram (madmom style), [frames, 149] by default. */
export function logFilteredSpectrogram(x: ArrayLike<number>, options: Omit<SpectrogramOptions, 'kind' | 'nMels' | 'floor'> = {}): Mat {
  checkOptions('logFilteredSpectrogram', options, SPECTROGRAM_KEYS);
  return spectrogramFromConfig(x, spectrogramConfig('logfilt', options));
}

/** P2's mel spectrogram (Schlueter & Lehner style), [frames, 80] by default. */
export function melSpectrogram(x: ArrayLike<number>, options: Omit<SpectrogramOptions, 'kind' | 'bandsPerOctave'> = {}): Mat {
  checkOptions('melSpectrogram', options, SPECTROGRAM_KEYS);
  return spectrogramFromConfig(x, spectrogramConfig('mel', options));
}
