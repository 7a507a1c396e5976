/**
 * The time-frequency segmentation of audioLIME as used by P2 (Praher et al. 2021, arXiv
 * 2107.09045): a spectrogram of frames x bins (time first) cut into nTime equal time segments and
 * nFreq equal frequency bands, label = t * nFreq + f (P2: 5 x 4 = 20 components on 115 x 80).
 *
 *   label(i, j) = floor(i * nTime / frames) * nFreq + floor(j * nFreq / bins)
 *
 * @example
 *   const seg = audioTimeFreqGrid(115, 80);       // 20 segments of 23 frames x 20 bands
 *   await lime(model, x, { target: 0, segments: seg, off: 'mean', nSamples: 8192 });
 */
import { imageGrid } from './imageGrid';

export function audioTimeFreqGrid(frames: number, bins: number, nTime = 5, nFreq = 4): Int32Array {
  for (const [n, v] of [['frames', frames], ['bins', bins], ['nTime', nTime], ['nFreq', nFreq]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`audioTimeFreqGrid: ${n} must be a positive integer; got ${v}.`);
  }
  if (nTime > frames || nFreq > bins) {
    throw new Error(`audioTimeFreqGrid: ${nTime} time segments x ${nFreq} bands do not fit ${frames} frames x ${bins} bins.`);
  }
  return imageGrid(frames, bins, nTime, nFreq);
}
