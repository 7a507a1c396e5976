/**
 * 115-frame excerpts of P2's songs (Praher et al. 2021, arXiv 2107.09045), the detector's unit: an
 * excerpt is centred on frame c, covers frames [c - 57, c + 58), and is labelled with frame c's
 * label. The same excerpt as audio is samples [315 (c - 57), 315 (c - 57) + 36934), whose mel
 * spectrogram (no centring) is exactly those 115 frames.
 *
 * @example
 *   const picks = pickExcerpts(songs, { perSong: 200, seed: 1 });
 *   const { x, y } = excerptBatch(songs, picks, standardizer);   // [N, 115, 80, 1], [N, 1]
 */
import * as tf from '@tensorflow/tfjs';
import { applyStandardizer, Standardizer } from '../../audio';
import { checkOptions, Rng, seedFor } from '../../engine';
import { EXCERPT_FRAMES, EXCERPT_SAMPLES, HOP, N_MELS, SvdSong } from './songs';

/** One excerpt: song index and centre frame. */
export interface ExcerptRef {
  song: number;
  centre: number;
}

const HALF = Math.floor(EXCERPT_FRAMES / 2);

/** Valid centre frames of a song: [57, frames - 58]. */
export function centreRange(song: SvdSong): [number, number] {
  const T = song.logMel.shape[0];
  if (T < EXCERPT_FRAMES) throw new Error(`excerpts: song "${song.name}" has ${T} frames, fewer than one excerpt (${EXCERPT_FRAMES}).`);
  return [HALF, T - (EXCERPT_FRAMES - HALF)];
}

export interface PickOptions {
  /** Excerpts per song. */
  perSong: number;
  /** 'random' centres (seeded) or an evenly spaced 'grid' (default 'random'). */
  mode?: 'random' | 'grid';
  seed?: number;
  /** Only excerpts whose label is this (0 or 1). */
  label?: 0 | 1;
}

/** Excerpt references for each song (seeded). */
export function pickExcerpts(songs: SvdSong[], options: PickOptions): ExcerptRef[] {
  checkOptions('pickExcerpts', options, ['perSong', 'mode', 'seed', 'label']);
  const { perSong, mode = 'random', seed = 0, label } = options;
  if (!Number.isInteger(perSong) || perSong < 1) throw new Error(`pickExcerpts: perSong must be a positive integer, got ${perSong}.`);
  const out: ExcerptRef[] = [];
  songs.forEach((s, si) => {
    const [lo, hi] = centreRange(s);
    let cands = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    if (label !== undefined) cands = cands.filter((c) => s.labels[c] === label);
    if (cands.length === 0) return;
    let chosen: number[];
    if (mode === 'grid') {
      const n = Math.min(perSong, cands.length);
      chosen = Array.from({ length: n }, (_, i) => cands[Math.floor(((i + 0.5) * cands.length) / n)]);
    } else {
      const rng = new Rng(seedFor(seed, 'excerpts', s.name));
      chosen = rng.shuffle(cands.slice()).slice(0, Math.min(perSong, cands.length)).sort((a, b) => a - b);
    }
    for (const c of chosen) out.push({ song: si, centre: c });
  });
  return out;
}

/** Log-mel excerpts [N, 115, 80] (plain arrays, unstandardised). */
export function logMelRows(songs: SvdSong[], refs: ExcerptRef[]): Float32Array {
  const F = EXCERPT_FRAMES * N_MELS;
  const out = new Float32Array(refs.length * F);
  refs.forEach((r, i) => {
    const s = songs[r.song];
    if (!s) throw new Error(`excerpts: reference ${i} names song ${r.song}, but there are ${songs.length} songs.`);
    const [lo, hi] = centreRange(s);
    if (!(r.centre >= lo && r.centre <= hi)) throw new Error(`excerpts: centre ${r.centre} of song "${s.name}" is outside [${lo}, ${hi}].`);
    out.set(s.logMel.data.subarray((r.centre - HALF) * N_MELS, (r.centre - HALF + EXCERPT_FRAMES) * N_MELS), i * F);
  });
  return out;
}

/** Standardised log-mel excerpts x [N, 115, 80, 1] and labels y [N, 1] (the detector's input). */
export function excerptBatch(songs: SvdSong[], refs: ExcerptRef[], st: Standardizer): { x: tf.Tensor4D; y: tf.Tensor2D } {
  if (refs.length === 0) throw new Error('excerptBatch: no excerpts given.');
  return standardisedBatch(logMelRows(songs, refs), Float32Array.from(refs, (r) => songs[r.song].labels[r.centre]), st);
}

/** Raw log-mel rows [N * 115 * 80] and labels [N] -> standardised x [N, 115, 80, 1], y [N, 1]. */
export function standardisedBatch(raw: Float32Array, labels: Float32Array, st: Standardizer): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const n = labels.length;
  if (n === 0 || raw.length !== n * EXCERPT_FRAMES * N_MELS) throw new Error(`standardisedBatch: ${raw.length} values do not make ${n} excerpts of ${EXCERPT_FRAMES} x ${N_MELS}.`);
  const z = applyStandardizer(st, { data: raw, shape: [n * EXCERPT_FRAMES, N_MELS] });
  return { x: tf.tensor4d(z.data, [n, EXCERPT_FRAMES, N_MELS, 1]), y: tf.tensor2d(labels, [n, 1]) };
}

/** Linear mel magnitudes exp(logMel) of the excerpts, [N, 115, 80] (the spectrogram attack's domain). */
export function excerptMagnitudes(songs: SvdSong[], refs: ExcerptRef[]): tf.Tensor3D {
  const raw = logMelRows(songs, refs);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.exp(raw[i]);
  return tf.tensor3d(raw, [refs.length, EXCERPT_FRAMES, N_MELS]);
}

/** The audio behind the excerpts, [N, 36934] (the waveform attack's domain). */
export function excerptWaves(songs: SvdSong[], refs: ExcerptRef[]): tf.Tensor2D {
  const out = new Float32Array(refs.length * EXCERPT_SAMPLES);
  logMelRows(songs, refs); // validates the references
  refs.forEach((r, i) => {
    const s0 = (r.centre - HALF) * HOP;
    out.set(songs[r.song].signal.subarray(s0, s0 + EXCERPT_SAMPLES), i * EXCERPT_SAMPLES);
  });
  return tf.tensor2d(out, [refs.length, EXCERPT_SAMPLES]);
}

/** Labels of the excerpts (frame label at the centre). */
export function excerptLabels(songs: SvdSong[], refs: ExcerptRef[]): number[] {
  return refs.map((r) => songs[r.song].labels[r.centre]);
}
