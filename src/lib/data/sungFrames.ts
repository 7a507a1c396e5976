/**
 * Sung / not-sung frame labels from word timings (JamendoLyrics *.words.csv), for singing voice
 * detection (P2, arXiv 2107.09045, uses 70 fps frames).
 *
 * A word span [start, end) is singing. Spans are sorted and merged when the gap between them is
 * shorter than `mergeGap` seconds (pauses between sung words are still "singing"). Frame i sits at
 * time t_i = i / frameRate (+ `offset`), and label_i = 1 iff t_i lies inside a merged span:
 *   label_i = 1[ exists span s: s.start <= t_i < s.end ].
 *
 * @example
 *   sungFrames([{ start: 0.1, end: 0.3 }, { start: 0.35, end: 0.5 }], { frameRate: 10, duration: 1, mergeGap: 0.1 })
 *   // -> frames 0..9 at t = 0, 0.1, ..., 0.9: [0,1,1,1,1,0,0,0,0,0]
 */
import { checkOptions } from '../engine';

export interface WordSpan {
  start: number;
  end: number;
}

export interface SungFramesOptions {
  /** Frames per second (e.g. 70 for hop 315 at 22.05 kHz). Required. */
  frameRate: number;
  /** Length of the audio in seconds (gives ceil(duration * frameRate) frames); or give nFrames. */
  duration?: number;
  /** Number of frames (overrides duration). */
  nFrames?: number;
  /** Merge consecutive spans whose gap is shorter than this, in seconds; default 0 (no merging). */
  mergeGap?: number;
  /** Time of frame 0 in seconds; default 0. */
  offset?: number;
}

/** Merge spans whose gaps are shorter than `mergeGap` (sorted by start). */
export function mergeSpans(spans: readonly WordSpan[], mergeGap = 0): WordSpan[] {
  const s = spans.map((w) => ({ start: w.start, end: w.end })).sort((a, b) => a.start - b.start);
  const out: WordSpan[] = [];
  for (const w of s) {
    const last = out[out.length - 1];
    if (last && w.start - last.end < mergeGap) last.end = Math.max(last.end, w.end);
    else if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push(w);
  }
  return out;
}

export function sungFrames(words: readonly WordSpan[], options: SungFramesOptions): Uint8Array {
  const where = 'sungFrames';
  checkOptions(where, options, ['frameRate', 'duration', 'nFrames', 'mergeGap', 'offset']);
  const { frameRate, mergeGap = 0, offset = 0 } = options;
  if (!(frameRate > 0) || !Number.isFinite(frameRate)) throw new Error(`${where}: frameRate must be a positive number of frames per second, got ${frameRate}.`);
  if (!(mergeGap >= 0)) throw new Error(`${where}: mergeGap must be >= 0 seconds, got ${mergeGap}.`);
  let n = options.nFrames;
  if (n === undefined) {
    if (options.duration === undefined) throw new Error(`${where}: give duration (seconds) or nFrames.`);
    if (!(options.duration >= 0)) throw new Error(`${where}: duration must be >= 0 seconds, got ${options.duration}.`);
    n = Math.ceil(options.duration * frameRate);
  }
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: nFrames must be a non-negative integer, got ${n}.`);
  words.forEach((w, i) => {
    if (!Number.isFinite(w.start) || !Number.isFinite(w.end)) throw new Error(`${where}: word ${i} has a NaN/infinite time (${w.start}, ${w.end}); clean the annotation.`);
    if (w.end < w.start) throw new Error(`${where}: word ${i} ends (${w.end} s) before it starts (${w.start} s); fix the annotation.`);
  });
  const out = new Uint8Array(n);
  for (const s of mergeSpans(words, mergeGap)) {
    // first frame with t_i >= start, last with t_i < end
    const i0 = Math.max(0, Math.ceil((s.start - offset) * frameRate - 1e-9));
    const i1 = Math.min(n, Math.ceil((s.end - offset) * frameRate - 1e-9));
    for (let i = i0; i < i1; i++) out[i] = 1;
  }
  return out;
}
