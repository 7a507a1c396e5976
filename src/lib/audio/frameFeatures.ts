/**
 * Classic frame-level audio features via meyda (5.6): one row per frame, one column per feature
 * value (vector features expand to name_0, name_1, ...: mfcc 13, chroma 12, ...).
 *
 *   spectralCentroid = sum_k k |X_k| / sum_k |X_k|  (in bins; multiply by sr / frameSize for Hz)
 *   spectralFlatness = geomean |X|^2 / mean |X|^2,  rms = sqrt(mean x^2),  zcr = # sign changes
 *   mfcc = DCT(log mel energies) (meyda's mel bank), chroma = 12 pitch-class energies
 *   spectralFlux = sum_k max(0, |X_t,k| - |X_t-1,k|)  (computed here: meyda 5.6's own is broken; 0 on frame 0)
 *
 * Frames start at sample 0 (no centring), hop between frames; meyda applies its window (Hann)
 * before every feature, so rms and zcr are of the windowed frame (a sine's rms is A/sqrt(2)*sqrt(3/8)).
 * Non-finite values (e.g. the centroid or chroma of a silent frame) are reported as 0.
 *
 * @example
 *   const t = frameFeatures(x, { sampleRate: 22050, features: ['rms', 'mfcc'] });
 *   t.columns; // ['rms', 'mfcc_0', ..., 'mfcc_12'];  t.rows[frame][column]
 */
import Meyda from 'meyda';
import { checkOptions } from '../engine';
import { isPowerOfTwo } from './fft';
import { checkSignal } from './mat';

export const FRAME_FEATURES = [
  'rms', 'zcr', 'energy', 'spectralCentroid', 'spectralFlatness', 'spectralRolloff', 'spectralSpread',
  'spectralSkewness', 'spectralKurtosis', 'spectralSlope', 'spectralCrest', 'spectralFlux',
  'perceptualSharpness', 'perceptualSpread', 'mfcc', 'chroma', 'loudness',
] as const;
export type FrameFeature = (typeof FRAME_FEATURES)[number];

export interface FrameFeaturesOptions {
  sampleRate?: number;
  /** Power of two. Default 1024. */
  frameSize?: number;
  /** Default frameSize / 2. */
  hop?: number;
  /** Default ['rms', 'zcr', 'spectralCentroid', 'spectralFlatness', 'spectralRolloff', 'mfcc', 'chroma']. */
  features?: FrameFeature[];
  /** meyda's window. Default 'hanning'. */
  window?: 'hanning' | 'hamming' | 'blackman' | 'sine';
  /** Number of MFCCs. Default 13. */
  mfccCoefficients?: number;
}

export interface FeatureTable {
  columns: string[];
  rows: number[][];
}

export function frameFeatures(x: Float32Array, options: FrameFeaturesOptions = {}): FeatureTable {
  checkOptions('frameFeatures', options, ['sampleRate', 'frameSize', 'hop', 'features', 'window', 'mfccCoefficients']);
  const sampleRate = options.sampleRate ?? 22050;
  const frameSize = options.frameSize ?? 1024;
  const hop = options.hop ?? frameSize / 2;
  const features = options.features ?? ['rms', 'zcr', 'spectralCentroid', 'spectralFlatness', 'spectralRolloff', 'mfcc', 'chroma'];
  if (!isPowerOfTwo(frameSize)) throw new Error(`frameFeatures: frameSize must be a power of two (meyda), got ${frameSize}.`);
  if (!Number.isInteger(hop) || hop < 1) throw new Error(`frameFeatures: hop must be a positive integer, got ${hop}.`);
  for (const f of features) {
    if (!FRAME_FEATURES.includes(f)) throw new Error(`frameFeatures: unknown feature "${f}". Known: ${FRAME_FEATURES.join(', ')}.`);
  }
  checkSignal('frameFeatures', x, frameSize);
  const m = Meyda as unknown as Record<string, unknown> & { extract: typeof Meyda.extract };
  // meyda keeps global state and caches filterbanks keyed on size only: reset them for this call.
  m.bufferSize = frameSize;
  m.sampleRate = sampleRate;
  m.numberOfMFCCCoefficients = options.mfccCoefficients ?? 13;
  m.melBands = Math.max(26, m.numberOfMFCCCoefficients as number);
  m.windowingFunction = options.window ?? 'hanning';
  m.barkScale = undefined;
  m.melFilterBank = undefined;
  m.chromaFilterBank = undefined;
  const frames = 1 + Math.floor((x.length - frameSize) / hop);
  const rows: number[][] = [];
  let columns: string[] | null = null;
  const wantFlux = features.includes('spectralFlux');
  const request = features.filter((f) => f !== 'spectralFlux') as string[];
  if (wantFlux) request.push('amplitudeSpectrum');
  let prevAmp: Float32Array | null = null;
  for (let t = 0; t < frames; t++) {
    const buf = x.slice(t * hop, t * hop + frameSize);
    const r = Meyda.extract(request as never, buf) as Record<string, unknown>;
    if (wantFlux) {
      const amp = Float32Array.from(r.amplitudeSpectrum as ArrayLike<number>);
      let sf = 0;
      if (prevAmp) for (let k = 0; k < amp.length; k++) sf += Math.max(0, amp[k] - prevAmp[k]);
      r.spectralFlux = sf;
      prevAmp = amp;
    }
    const row: number[] = [];
    const names: string[] = [];
    for (const f of features) {
      let v = r[f] as unknown;
      if (f === 'loudness') v = (v as { total: number }).total;
      if (typeof v === 'number') { row.push(v); names.push(f); }
      else if (v && typeof (v as ArrayLike<number>).length === 'number') {
        const a = v as ArrayLike<number>;
        for (let i = 0; i < a.length; i++) { row.push(a[i]); names.push(`${f}_${i}`); }
      } else { row.push(NaN); names.push(f); }
    }
    columns ??= names;
    rows.push(row.map((v) => (Number.isFinite(v) ? v : 0)));
  }
  return { columns: columns ?? [], rows };
}
