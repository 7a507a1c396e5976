/**
 * Cut a signal into overlapping frames: frame t holds x[t * hop + j - offset], j = 0..frameLength-1,
 * with offset = frameLength/2 (floor) and zero padding when `center` (frames centred on t * hop,
 * as madmom and librosa do), offset 0 otherwise.
 *
 *   frames = 1 + floor(n / hop)                        (center)
 *   frames = 1 + floor((n - frameLength) / hop)        (no center; needs n >= frameLength)
 *
 * @example
 *   frameSignal(x, { frameLength: 2048, hop: 704, center: true }).shape; // [1 + floor(n/704), 2048]
 */
import { checkOptions } from '../engine';
import { Mat, checkSignal } from './mat';

export interface FrameOptions {
  frameLength: number;
  hop: number;
  /** Centre frame t on sample t * hop (zero padding at both ends). Default true. */
  center?: boolean;
}

export function frameCount(n: number, frameLength: number, hop: number, center: boolean): number {
  return center ? 1 + Math.floor(n / hop) : n >= frameLength ? 1 + Math.floor((n - frameLength) / hop) : 0;
}

export function frameSignal(x: ArrayLike<number>, options: FrameOptions): Mat {
  checkOptions('frameSignal', options, ['frameLength', 'hop', 'center']);
  const { frameLength: L, hop } = options;
  const center = options.center ?? true;
  if (!Number.isInteger(L) || L < 1) throw new Error(`frameSignal: frameLength must be a positive integer, got ${L}.`);
  if (!Number.isInteger(hop) || hop < 1) throw new Error(`frameSignal: hop must be a positive integer, got ${hop}.`);
  checkSignal('frameSignal', x, center ? 1 : L);
  const n = x.length;
  const frames = frameCount(n, L, hop, center);
  const offset = center ? Math.floor(L / 2) : 0;
  const data = new Float32Array(frames * L);
  for (let t = 0; t < frames; t++) {
    const start = t * hop - offset;
    const lo = Math.max(0, -start), hi = Math.min(L, n - start);
    for (let j = lo; j < hi; j++) data[t * L + j] = x[start + j];
  }
  return { data, shape: [frames, L] };
}
