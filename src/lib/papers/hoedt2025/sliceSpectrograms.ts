/**
 * P1's input (arXiv 2508.03780): the log-filtered spectrogram (22.05 kHz, frame 2048, hop 704 ->
 * 31.3 fps, 24 bands/octave 20 Hz-16 kHz -> 149 bins, log10(1 + x)) of each clip, and one seeded
 * random slice of `frames` frames per clip (the paper: one random 10 s slice = 313 frames).
 *
 *   S_i = logfilt(x_i)[s_i : s_i + frames],   s_i ~ U{0, ..., T_i - frames}   (seeded per clip)
 *
 * Clips at another sample rate are resampled to 22.05 kHz first. A clip shorter than `frames`
 * frames is an error naming it.
 *
 * @example
 *   const { specs, starts } = sliceSpectrograms(d.audio, 22050, { frames: 40, seed: 1 });
 */
import { checkOptions, Rng, seedFor } from '../../engine';
import { logFilteredSpectrogram, resample } from '../../audio';
import type { Mat } from '../../audio';

export interface SliceOptions {
  frames: number;
  seed?: number;
  /** Names of the clips, for error messages. */
  names?: string[];
}

export interface Slices {
  /** [frames, 149] each. */
  specs: Mat[];
  /** First frame of each slice. */
  starts: number[];
  /** The clips at 22.05 kHz (resampled where needed). */
  audio: Float32Array[];
}

export const P1_SAMPLE_RATE = 22050;
export const P1_HOP = 704;

export function sliceSpectrograms(audio: Float32Array[], sampleRate: number, options: SliceOptions): Slices {
  checkOptions('sliceSpectrograms', options, ['frames', 'seed', 'names']);
  const { frames, seed = 0, names } = options;
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`sliceSpectrograms: frames must be a positive integer, got ${frames}.`);
  const specs: Mat[] = [], starts: number[] = [], out: Float32Array[] = [];
  audio.forEach((a, i) => {
    const x = sampleRate === P1_SAMPLE_RATE ? a : resample(a, sampleRate, P1_SAMPLE_RATE);
    const S = logFilteredSpectrogram(x);
    const [T, B] = S.shape;
    if (T < frames) throw new Error(`sliceSpectrograms: clip ${names?.[i] ?? i} gives ${T} frames (${(x.length / P1_SAMPLE_RATE).toFixed(2)} s), fewer than the ${frames} needed.`);
    const s = new Rng(seedFor(seed, 'slice', i)).int(T - frames + 1);
    specs.push({ data: S.data.slice(s * B, (s + frames) * B), shape: [frames, B] });
    starts.push(s);
    out.push(x);
  });
  return { specs, starts, audio: out };
}

/** Seconds of audio that give exactly `frames` centred frames at hop 704: (frames - 1) * 704 samples. */
export function secondsForFrames(frames: number): number {
  return ((frames - 1) * P1_HOP) / P1_SAMPLE_RATE;
}
