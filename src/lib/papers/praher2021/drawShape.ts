/**
 * "Horses" for the singing voice detector (Praher et al. 2021, arXiv 2107.09045, Fig. 1; after
 * Sturm's "horse" systems): draw a shape onto a standardised log-mel excerpt and see whether the
 * detector's decision flips, and whether LIME points at the drawing. Shapes, painted at a given
 * level (in standard deviations of the band) where they are brighter than the excerpt:
 *   'vibrato': 3 harmonic-like curves  b_h(t) = h * b0 + a sin(2 pi t / 8)  (a wavy harmonic stack)
 *   'box':     a filled rectangle
 *   'lines':   horizontal lines every 4 bands
 * inside time segment `timeSegment` (0-4) and frequency band `band` (0-3) of P2's 5 x 4 grid.
 *
 * @example
 *   const { z: drawn, segments } = drawShape(z, { kind: 'vibrato', timeSegment: 2, band: 1, level: 3 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { GRID } from './limeVeracity';
import { EXCERPT_FRAMES, N_MELS } from './songs';

export type ShapeKind = 'vibrato' | 'box' | 'lines';
export const SHAPES: ShapeKind[] = ['vibrato', 'box', 'lines'];

export interface DrawOptions {
  kind: ShapeKind;
  /** Time segment 0..4 (23 frames each). */
  timeSegment: number;
  /** Frequency band 0..3 (20 mel bands each). */
  band: number;
  /** Painted value in the standardised domain (default 3). */
  level?: number;
}

/** The 0/1 drawing [115, 80] of a shape. */
export function shapeMask(options: DrawOptions): Float32Array {
  checkOptions('drawShape', options, ['kind', 'timeSegment', 'band', 'level']);
  const { kind, timeSegment, band } = options;
  if (!SHAPES.includes(kind)) throw new Error(`drawShape: kind must be one of ${SHAPES.join(', ')}, got ${kind}.`);
  if (!Number.isInteger(timeSegment) || timeSegment < 0 || timeSegment > 4) throw new Error(`drawShape: timeSegment must be 0..4, got ${timeSegment}.`);
  if (!Number.isInteger(band) || band < 0 || band > 3) throw new Error(`drawShape: band must be 0..3, got ${band}.`);
  const m = new Float32Array(EXCERPT_FRAMES * N_MELS);
  const t0 = timeSegment * 23, b0 = band * 20;
  const set = (t: number, b: number) => {
    if (t >= t0 && t < t0 + 23 && b >= b0 && b < b0 + 20) m[t * N_MELS + b] = 1;
  };
  for (let t = t0 + 2; t < t0 + 21; t++) {
    if (kind === 'box') for (let b = b0 + 4; b < b0 + 16; b++) set(t, b);
    else if (kind === 'lines') for (let b = b0 + 2; b < b0 + 20; b += 4) set(t, b);
    else {
      for (let h = 1; h <= 3; h++) {
        const c = b0 + 5 * h + 1.5 * Math.sin((2 * Math.PI * (t - t0)) / 8);
        set(t, Math.round(c));
        set(t, Math.round(c) + 1);
      }
    }
  }
  return m;
}

/** Draw the shape onto every excerpt of z [N, 115, 80, 1]: z' = max(z, level) on the drawing. */
export function drawShape(z: tf.Tensor, options: DrawOptions): { z: tf.Tensor; segments: number[] } {
  if (z.rank !== 4 || z.shape[1] !== EXCERPT_FRAMES || z.shape[2] !== N_MELS) throw new Error(`drawShape: z must be [N, ${EXCERPT_FRAMES}, ${N_MELS}, 1], got [${z.shape}].`);
  const level = options.level ?? 3;
  const mask = shapeMask(options);
  const segs = new Set<number>();
  mask.forEach((v, j) => { if (v) segs.add(GRID[j]); });
  const out = tf.tidy(() => {
    const m = tf.tensor4d(mask, [1, EXCERPT_FRAMES, N_MELS, 1]);
    return tf.add(tf.mul(z, tf.sub(1, m)), tf.mul(tf.maximum(z, level), m));
  });
  return { z: out, segments: [...segs].sort((a, b) => a - b) };
}
