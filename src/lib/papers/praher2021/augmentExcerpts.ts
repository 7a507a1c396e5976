/**
 * Training-data augmentation for P2's singing voice detector, on un-normalised log-mel excerpts
 * L [N, 115, 80] (ours: Praher et al. 2021, arXiv 2107.09045, train the detector of Schlueter &
 * Lehner without saying how; these are the kinds of augmentation of Schlueter & Grill, ISMIR 2015,
 * "Exploring data augmentation for improved singing voice detection with neural networks", done
 * directly on the log-mel so that they cost no audio processing). Each augmented copy of excerpt i:
 *   pitch shift:  L'[t, b] = L[t, clamp(b - s)],  s uniform integer in [-pitchShift, pitchShift]
 *                 (a shift by whole mel bands; the edge band is repeated);
 *   filter:       L'[t, b] += g (b / 79 - 1/2) ln(10) / 20,  g uniform in [-filterDb, filterDb]
 *                 (a random spectral tilt; a constant gain would do nothing: the first layer is zero-mean);
 *   mix:          with probability `mix`, L' = ln(exp(L') + 10^(a / 20) exp(U)), U an unsung excerpt of
 *                 the pool, a uniform in mixDb (dB): adding unsung audio keeps the label.
 * The label of a copy is the label of its excerpt. Seeded.
 *
 * @example
 *   const aug = augmentExcerpts(raw, labels, { copies: 1, pitchShift: 3, filterDb: 10, mix: 0.5, seed: 1 });
 *   aug.raw.length === 2 * raw.length;   // originals first, then the copies
 */
import { checkOptions, Rng, seedFor } from '../../engine';
import { EXCERPT_FRAMES, N_MELS } from './songs';

export interface AugmentOptions {
  /** Augmented copies per excerpt, appended after the originals (0: none). */
  copies: number;
  /** Largest band shift (integer bands, default 0). */
  pitchShift?: number;
  /** Largest spectral tilt, end to end, in dB (default 0). */
  filterDb?: number;
  /** Probability of mixing in an unsung excerpt (default 0). */
  mix?: number;
  /** Gain range of the mixed-in excerpt, dB (default [-12, 0]). */
  mixDb?: [number, number];
  seed?: number;
}

const F = EXCERPT_FRAMES * N_MELS;

export function augmentExcerpts(raw: Float32Array, labels: Float32Array, options: AugmentOptions): { raw: Float32Array; labels: Float32Array } {
  checkOptions('augmentExcerpts', options, ['copies', 'pitchShift', 'filterDb', 'mix', 'mixDb', 'seed']);
  const { copies, pitchShift = 0, filterDb = 0, mix = 0, mixDb = [-12, 0], seed = 0 } = options;
  const n = labels.length;
  if (raw.length !== n * F) throw new Error(`augmentExcerpts: ${raw.length} values do not make ${n} excerpts of ${EXCERPT_FRAMES} x ${N_MELS}.`);
  if (!Number.isInteger(copies) || copies < 0) throw new Error(`augmentExcerpts: copies must be a non-negative integer, got ${copies}.`);
  if (!Number.isInteger(pitchShift) || pitchShift < 0 || pitchShift >= N_MELS) throw new Error(`augmentExcerpts: pitchShift must be an integer in [0, ${N_MELS}), got ${pitchShift}.`);
  if (!(filterDb >= 0) || !(mix >= 0 && mix <= 1) || !(mixDb[0] <= mixDb[1])) throw new Error('augmentExcerpts: needs filterDb >= 0, mix in [0, 1] and mixDb[0] <= mixDb[1].');
  const unsung = Array.from(labels, (v, i) => (v < 0.5 ? i : -1)).filter((i) => i >= 0);
  if (mix > 0 && unsung.length === 0) throw new Error('augmentExcerpts: mixing needs at least one unsung excerpt.');
  const outRaw = new Float32Array(n * F * (1 + copies));
  const outY = new Float32Array(n * (1 + copies));
  outRaw.set(raw);
  outY.set(labels);
  const rng = new Rng(seedFor(seed, 'augmentExcerpts'));
  const ln10by20 = Math.log(10) / 20;
  const row = new Float32Array(N_MELS);
  for (let c = 1; c <= copies; c++) {
    for (let i = 0; i < n; i++) {
      const s = pitchShift ? rng.int(2 * pitchShift + 1) - pitchShift : 0;
      const g = filterDb ? rng.range(-filterDb, filterDb) * ln10by20 : 0;
      const partner = mix > 0 && rng.uniform() < mix ? unsung[rng.int(unsung.length)] : -1;
      const amp = partner >= 0 ? Math.exp(rng.range(mixDb[0], mixDb[1]) * ln10by20) : 0;
      const src = i * F, dst = (c * n + i) * F;
      for (let t = 0; t < EXCERPT_FRAMES; t++) {
        const o = t * N_MELS;
        for (let b = 0; b < N_MELS; b++) {
          const bs = Math.min(N_MELS - 1, Math.max(0, b - s));
          row[b] = raw[src + o + bs] + g * (b / (N_MELS - 1) - 0.5);
        }
        if (partner >= 0) {
          const p = partner * F + o;
          for (let b = 0; b < N_MELS; b++) row[b] = Math.log(Math.exp(row[b]) + amp * Math.exp(raw[p + b]));
        }
        outRaw.set(row, dst + o);
      }
      outY[c * n + i] = labels[i];
    }
  }
  return { raw: outRaw, labels: outY };
}
