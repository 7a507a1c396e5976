/**
 * The authors' adversaries for P2 (Praher et al. 2021, arXiv 2107.09045; CPJKU/veracity,
 * svd/adversaries/raw_attack.py, spec_attack.py and svd/explanations/pick_and_store_adversaries.py):
 * ONE perturbation delta over a whole song (here: a span of it), optimised until the detector's
 * decision of EVERY frame has flipped, then excerpts drawn from the flipped frames.
 *
 *   target_t = 1 - pred_t(x)                      (flip the detector's own decision per frame)
 *   loss(delta) = sum(delta^2) + alpha * mean_t BCE(z_t(x + delta), target_t)      (cw_loss, alpha 2)
 *   g = sign(d loss / d delta);  delta <- Adam(lr 3e-4).step(g);  delta <- clip(delta, -0.01, 0.01)
 *   stop when pred_t(x + delta) = target_t for all frames t (req_change_factor 1), at most 1000 steps.
 *
 * Domains: 'wave' (delta on the span's audio; the detector sees it through the differentiable mel
 * front-end; SNR = 20 log10(||x|| / ||delta||) over the span, the authors' per-file SNR) or 'spec'
 * (delta on the span's linear mel magnitude M; the authors perturb the linear STFT magnitude and
 * report ||delta||^2; we report the same SNR formula on M). In 'spec' we keep M + delta >= 0.
 *
 * Frame decisions are those of the 115-frame excerpts centred on each frame of the span whose
 * excerpt fits inside it; the authors zero-pad a whole song by 57 frames at both ends instead, so
 * their first and last 57 frames get decisions too. A span covers `frames` mel frames; the paper
 * attacks whole songs, demo settings attack a shorter span (stated in the notebook).
 *
 * pickAdversaries then draws, per attacked span and direction, up to `perSong` of the frames whose
 * decision went the direction's way (clean decision = source class, attacked = target class) at
 * random with a fixed seed (the authors: np.random.seed(2021), 10 draws per file with replacement;
 * ours: without replacement), and returns them as the excerpt pairs LIME and the veracity test use.
 *
 * @example
 *   const r = await attackSong(d, song, { domain: 'wave', start: 1000, frames: 200, steps: 1000 });
 *   const adv = pickAdversaries(d, [r], { direction: 'sing->no sing', perSong: 10, seed: 2021 });
 */
import * as tf from '@tensorflow/tfjs';
import { applyStandardizer } from '../../audio';
import { checkOptions, Rng, seedFor } from '../../engine';
import type { Adversaries, AttackDomain, Direction } from './craftAdversaries';
import { DIRECTIONS } from './craftAdversaries';
import { DetectorDomains } from './detector';
import { centreRange, excerptBatch, ExcerptRef } from './excerpts';
import { EXCERPT_FRAMES, EXCERPT_SAMPLES, HOP, N_FFT, N_MELS, SvdSong } from './songs';

const HALF = Math.floor(EXCERPT_FRAMES / 2);

export interface SongAttackOptions {
  domain: AttackDomain;
  /** First mel frame of the span (default 0). */
  start?: number;
  /** Mel frames in the span (default: the rest of the song); at least one excerpt (115). */
  frames?: number;
  /** Up to this many Adam steps (default 1000). */
  steps?: number;
  lr?: number;
  clip?: number;
  /** Weight of the BCE term (the authors' alpha, default 2). */
  alpha?: number;
  threshold?: number;
  /** Share of frames that must flip (the authors' req_change_factor, default 1). */
  requiredShare?: number;
  /** Excerpts per forward pass when computing the gradient (default 64). */
  batchSize?: number;
  /** Called after every step with the share of frames flipped so far. */
  onStep?: (step: number, flippedShare: number) => void;
}

export interface SongAttack {
  song: number;
  name: string;
  domain: AttackDomain;
  /** The span: mel frames [start, start + frames). */
  start: number;
  frames: number;
  /** Song frame index of each decided frame (the excerpt centres). */
  centres: number[];
  /** Frame labels (ground truth) and P(sing) before / after at each centre. */
  labels: number[];
  pClean: number[];
  pAdv: number[];
  /** Adam steps taken; whether every frame (requiredShare) flipped; share flipped at the end. */
  iterations: number;
  converged: boolean;
  flippedShare: number;
  /** SNR of the perturbation over the span, in its own domain (dB). */
  snrDb: number;
  /** Clean input of the span ([samples] audio or [frames, 80] mel magnitude) and the final delta, same shape. */
  x: tf.Tensor;
  delta: tf.Tensor;
  /** Mel magnitude [frames, 80] of the clean and of the attacked span (wave: through the front-end). */
  magClean: tf.Tensor2D;
  magAdv: tf.Tensor2D;
}

/** Indices [centres * 115] into the span's frames for the excerpts of every decided frame. */
function excerptIndex(nCentres: number): tf.Tensor1D {
  const idx = new Int32Array(nCentres * EXCERPT_FRAMES);
  for (let c = 0; c < nCentres; c++) for (let t = 0; t < EXCERPT_FRAMES; t++) idx[c * EXCERPT_FRAMES + t] = c + t;
  return tf.tensor1d(idx, 'int32');
}

export async function attackSong(d: DetectorDomains, songs: SvdSong[], song: number, options: SongAttackOptions): Promise<SongAttack> {
  const where = 'attackSong';
  checkOptions(where, options, ['domain', 'start', 'frames', 'steps', 'lr', 'clip', 'alpha', 'threshold', 'requiredShare', 'batchSize', 'onStep']);
  const { domain, start = 0, steps = 1000, lr = 3e-4, clip = 0.01, alpha = 2, threshold = 0.51, requiredShare = 1, batchSize = 64, onStep } = options;
  if (domain !== 'wave' && domain !== 'spec') throw new Error(`${where}: domain must be 'wave' or 'spec', got ${domain}.`);
  const s = songs[song];
  if (!s) throw new Error(`${where}: no song ${song} (there are ${songs.length}).`);
  const T = s.logMel.shape[0];
  const frames = options.frames ?? T - start;
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(frames) || frames < EXCERPT_FRAMES || start + frames > T) {
    throw new Error(`${where}: the span [${start}, ${start + frames}) must lie in the song's ${T} frames and hold at least one excerpt (${EXCERPT_FRAMES} frames).`);
  }
  if (!(steps >= 0) || !Number.isInteger(steps)) throw new Error(`${where}: steps must be an integer >= 0, got ${steps}.`);
  const nC = frames - EXCERPT_FRAMES + 1;
  const centres = Array.from({ length: nC }, (_, i) => start + HALF + i);
  const st = d.standardizer;
  const mu = tf.tensor1d(st.mean), sd = tf.tidy(() => tf.maximum(tf.tensor1d(st.std), 1e-8));
  const idx = excerptIndex(nC);
  // clean input of the span
  const x: tf.Tensor =
    domain === 'wave'
      ? tf.tensor1d(s.signal.slice(start * HOP, (start + frames - 1) * HOP + N_FFT))
      : tf.tidy(() => tf.exp(tf.tensor2d(s.logMel.data.slice(start * N_MELS, (start + frames) * N_MELS), [frames, N_MELS])));
  const magOf = (v: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => (domain === 'wave' ? (d.magOfWave(v.expandDims(0)) as tf.Tensor3D).squeeze([0]) : tf.relu(v)) as tf.Tensor2D);
  // logits of the excerpts of centres [c0, c1) from the span's magnitude
  const logitsOf = (mag: tf.Tensor2D, c0: number, c1: number): tf.Tensor1D =>
    tf.tidy(() => {
      const z = tf.div(tf.sub(tf.log(tf.maximum(mag, 1e-7)), mu), sd);
      const ex = tf.gather(z, idx.slice(c0 * EXCERPT_FRAMES, (c1 - c0) * EXCERPT_FRAMES)).reshape([c1 - c0, EXCERPT_FRAMES, N_MELS, 1]);
      return d.logit(ex).reshape([c1 - c0]) as tf.Tensor1D;
    });
  const probsOf = (v: tf.Tensor): number[] => {
    const out: number[] = [];
    const mag = magOf(v);
    for (let c0 = 0; c0 < nC; c0 += batchSize) {
      const c1 = Math.min(nC, c0 + batchSize);
      out.push(...tf.tidy(() => tf.sigmoid(logitsOf(mag, c0, c1)).dataSync()));
    }
    mag.dispose();
    return out;
  };
  const pClean = probsOf(x);
  const target = pClean.map((p) => (p >= threshold ? 0 : 1));
  const targetT = tf.tensor1d(target, 'float32');
  let delta = tf.zerosLike(x);
  let m = tf.zerosLike(x), v = tf.zerosLike(x);
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const lower = domain === 'spec' ? tf.neg(x) : null; // keep M + delta >= 0
  let iterations = 0;
  let flipped = 0;
  const flippedOf = (p: ArrayLike<number>) => Array.from(p).filter((q, i) => (q >= threshold ? 1 : 0) === target[i]).length;
  try {
    for (let step = 1; step <= steps; step++) {
      // gradient of ||delta||^2 + alpha * mean BCE at the current delta, and the current decisions
      let grad = tf.mul(delta, 2);
      const probs: number[] = [];
      for (let c0 = 0; c0 < nC; c0 += batchSize) {
        const c1 = Math.min(nC, c0 + batchSize);
        const g = tf.tidy(() => {
          const tt = targetT.slice(c0, c1 - c0);
          return tf.grad((dl: tf.Tensor) => {
            const z = logitsOf(magOf(tf.add(x, dl)), c0, c1);
            probs.push(...tf.sigmoid(z).dataSync());
            return tf.mul(alpha / nC, tf.sum(bce(z, tt))) as tf.Scalar;
          })(delta);
        });
        const g2 = tf.add(grad, g);
        tf.dispose([grad, g]);
        grad = g2;
      }
      flipped = flippedOf(probs);
      if (flipped >= requiredShare * nC) {
        grad.dispose();
        break; // delta after step - 1 already flips every frame
      }
      const sg = tf.sign(grad);
      grad.dispose();
      const [m2, v2, d2] = tf.tidy(() => {
        const mm = tf.add(tf.mul(m, b1), tf.mul(sg, 1 - b1));
        const vv = tf.add(tf.mul(v, b2), tf.mul(tf.square(sg), 1 - b2));
        const mh = tf.div(mm, 1 - b1 ** step), vh = tf.div(vv, 1 - b2 ** step);
        let dd = tf.clipByValue(tf.sub(delta, tf.mul(lr, tf.div(mh, tf.add(tf.sqrt(vh), eps)))), -clip, clip);
        if (lower) dd = tf.maximum(dd, lower);
        return [mm, vv, dd];
      });
      tf.dispose([sg, m, v, delta]);
      m = m2; v = v2; delta = d2;
      iterations = step;
      onStep?.(step, flipped / nC);
      await tf.nextFrame?.();
    }
    const xa = tf.add(x, delta);
    const pAdv = probsOf(xa);
    flipped = flippedOf(pAdv);
    const snrDb = tf.tidy(() => 20 * Math.log10(tf.norm(x).dataSync()[0] / Math.max(tf.norm(delta).dataSync()[0], 1e-30)));
    const magClean = magOf(x);
    const magAdv = magOf(xa);
    xa.dispose();
    return {
      song, name: s.name, domain, start, frames, centres, labels: centres.map((c) => s.labels[c]), pClean, pAdv,
      iterations, converged: flipped >= requiredShare * nC, flippedShare: flipped / nC, snrDb, x, delta, magClean, magAdv,
    };
  } finally {
    tf.dispose([mu, sd, idx, targetT, m, v, ...(lower ? [lower] : [])]);
  }
}

/** Mean over the batch is taken by the caller: sum_t BCE(z_t, y_t) with logits (numerically stable). */
function bce(z: tf.Tensor, y: tf.Tensor): tf.Tensor {
  // max(z, 0) - z y + log(1 + exp(-|z|))
  return tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
}

/**
 * The detector's clean P(sing) at every `stride`-th decidable frame of a song (the centres of its
 * 115-frame excerpts, [57, T - 58]); NaN at the frames not evaluated. What chooseSpans reads the
 * detector's decisions from.
 *
 * @example
 *   const p = framePSing(d, songs, 0, { stride: 5 });   // Float32Array(T), NaN between evaluated frames
 */
export function framePSing(d: DetectorDomains, songs: SvdSong[], song: number, options: { stride?: number; batchSize?: number } = {}): Float32Array {
  checkOptions('framePSing', options, ['stride', 'batchSize']);
  const { stride = 5, batchSize = 256 } = options;
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`framePSing: stride must be a positive integer, got ${stride}.`);
  const s = songs[song];
  if (!s) throw new Error(`framePSing: no song ${song} (there are ${songs.length}).`);
  const T = s.logMel.shape[0];
  const [lo, hi] = centreRange(s);
  const out = new Float32Array(T).fill(NaN);
  const centres: number[] = [];
  for (let c = lo; c <= hi; c += stride) centres.push(c);
  for (let i = 0; i < centres.length; i += batchSize) {
    const refs: ExcerptRef[] = centres.slice(i, i + batchSize).map((c) => ({ song, centre: c }));
    const { x, y } = excerptBatch(songs, refs, d.standardizer);
    const p = tf.tidy(() => (d.prob.apply(x, { training: false }) as tf.Tensor).dataSync());
    tf.dispose([x, y]);
    refs.forEach((r, j) => (out[r.centre] = p[j]));
  }
  return out;
}

/**
 * Spans to attack in a song: `n` non-overlapping spans of `frames` mel frames (starts on a 10-frame
 * grid) whose decided frames (excerpt centres) are closest to half "sing", so both directions have
 * frames to flip; the whole song (one span) when frames is null. Deterministic (ties: earliest).
 * "Sing" is read from the detector's clean decisions when `pSing` is given (P(sing) per song frame,
 * NaN where not evaluated, e.g. framePSing; decision = P >= threshold, share over the evaluated
 * decided frames), else from the ground-truth labels. The attack flips the detector's own decisions,
 * so only the decisions say whether a span has frames for both directions.
 */
export function chooseSpans(
  song: SvdSong,
  options: { frames: number | null; n?: number; pSing?: ArrayLike<number>; threshold?: number },
): { start: number; frames: number }[] {
  checkOptions('chooseSpans', options, ['frames', 'n', 'pSing', 'threshold']);
  const T = song.logMel.shape[0];
  if (options.frames === null || options.frames >= T) return [{ start: 0, frames: T }];
  const F = options.frames, n = options.n ?? 1, threshold = options.threshold ?? 0.51;
  if (!Number.isInteger(F) || F < EXCERPT_FRAMES) throw new Error(`chooseSpans: frames must be an integer >= ${EXCERPT_FRAMES} (one excerpt), got ${F}.`);
  const p = options.pSing;
  if (p && p.length !== T) throw new Error(`chooseSpans: pSing must hold one value per song frame (${T}), got ${p.length}.`);
  const score: { start: number; s: number }[] = [];
  for (let start = 0; start + F <= T; start += 10) {
    let sung = 0, seen = 0;
    for (let c = start + HALF; c <= start + F - 1 - HALF; c++) {
      if (p) {
        if (Number.isNaN(p[c])) continue;
        sung += p[c] >= threshold ? 1 : 0;
      } else sung += song.labels[c];
      seen++;
    }
    if (seen) score.push({ start, s: Math.abs(sung / seen - 0.5) });
  }
  score.sort((a, b) => a.s - b.s || a.start - b.start);
  const out: { start: number; frames: number }[] = [];
  for (const c of score) {
    if (out.length >= n) break;
    if (out.every((o) => c.start + F <= o.start || o.start + F <= c.start)) out.push({ start: c.start, frames: F });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Release an attacked span's tensors. */
export function disposeSongAttack(a: SongAttack): void {
  tf.dispose([a.x, a.delta, a.magClean, a.magAdv]);
}

export interface PickOptions {
  direction: Direction;
  /** Excerpts drawn per attacked span (the authors: 10 per file; default 10). */
  perSong?: number;
  seed?: number;
  threshold?: number;
}

/**
 * Draw adversarial excerpts of one direction from attacked spans (pick_and_store_adversaries.py):
 * frames whose clean decision is the source class and whose attacked decision is the target class,
 * up to perSong per span, at random with a fixed seed. Returns the excerpt pairs as Adversaries
 * (clean mel magnitude, dM = M(x_adv) - M(x); 'wave': also the audio), with per adversary the
 * span's Adam steps and SNR.
 */
export function pickAdversaries(attacks: SongAttack[], options: PickOptions): Adversaries {
  const where = 'pickAdversaries';
  checkOptions(where, options, ['direction', 'perSong', 'seed', 'threshold']);
  const { direction, perSong = 10, seed = 2021, threshold = 0.51 } = options;
  if (!DIRECTIONS.includes(direction)) throw new Error(`${where}: direction must be one of ${DIRECTIONS.join(', ')}, got ${direction}.`);
  if (!attacks.length) throw new Error(`${where}: no attacked spans given.`);
  const domain = attacks[0].domain;
  if (attacks.some((a) => a.domain !== domain)) throw new Error(`${where}: the attacked spans mix domains; pick from one domain at a time.`);
  const source = direction === 'no sing->sing' ? 0 : 1;
  const out: Adversaries = {
    domain, direction, refs: [], pClean: [], pAdv: [], snrDb: [], iterations: [], candidateIndex: [],
    magClean: null as unknown as tf.Tensor3D, deltaMag: null as unknown as tf.Tensor3D, attacked: 0, succeeded: 0,
  };
  const clean: tf.Tensor[] = [], deltas: tf.Tensor[] = [], waves: tf.Tensor[] = [], wavesAdv: tf.Tensor[] = [];
  attacks.forEach((a, ai) => {
    const dec = (p: number) => (p >= threshold ? 1 : 0);
    const ok = a.centres.map((_, i) => i).filter((i) => dec(a.pClean[i]) === source && dec(a.pAdv[i]) === 1 - source);
    out.attacked += a.centres.filter((_, i) => dec(a.pClean[i]) === source).length;
    out.succeeded += ok.length;
    const rng = new Rng(seedFor(seed, 'pick', a.name, a.start, a.domain, direction));
    const chosen = rng.shuffle(ok.slice()).slice(0, perSong).sort((p, q) => p - q);
    for (const i of chosen) {
      const f0 = a.centres[i] - HALF - a.start; // first frame of the excerpt inside the span
      clean.push(a.magClean.slice([f0, 0], [EXCERPT_FRAMES, N_MELS]).expandDims(0));
      deltas.push(tf.tidy(() => tf.sub(a.magAdv.slice([f0, 0], [EXCERPT_FRAMES, N_MELS]), a.magClean.slice([f0, 0], [EXCERPT_FRAMES, N_MELS])).expandDims(0)));
      if (domain === 'wave') {
        waves.push(a.x.slice(f0 * HOP, EXCERPT_SAMPLES).expandDims(0));
        wavesAdv.push(tf.tidy(() => tf.add(a.x.slice(f0 * HOP, EXCERPT_SAMPLES), a.delta.slice(f0 * HOP, EXCERPT_SAMPLES)).expandDims(0)));
      }
      out.refs.push({ song: a.song, centre: a.centres[i] });
      out.candidateIndex.push(ai);
      out.pClean.push(a.pClean[i]);
      out.pAdv.push(a.pAdv[i]);
      out.snrDb.push(a.snrDb);
      out.iterations.push(a.iterations);
    }
  });
  const cat = (ts: tf.Tensor[], shape: number[]) => {
    const t = ts.length ? tf.concat(ts, 0) : tf.zeros(shape);
    tf.dispose(ts);
    return t;
  };
  out.magClean = cat(clean, [0, EXCERPT_FRAMES, N_MELS]) as tf.Tensor3D;
  out.deltaMag = cat(deltas, [0, EXCERPT_FRAMES, N_MELS]) as tf.Tensor3D;
  if (domain === 'wave') {
    out.wave = cat(waves, [0, EXCERPT_SAMPLES]) as tf.Tensor2D;
    out.waveAdv = cat(wavesAdv, [0, EXCERPT_SAMPLES]) as tf.Tensor2D;
  }
  return out;
}
