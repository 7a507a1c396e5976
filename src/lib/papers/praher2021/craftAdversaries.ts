/**
 * P2's adversarial examples for the singing voice detector (Praher et al. 2021, arXiv 2107.09045):
 * flip the detector's decision on excerpts with attacks.flipAttack,
 *   minimise ||delta||^2 + c * BCE(z(x + delta), 1 - y),  sign-Adam, delta clipped to +-clip,
 * either on the waveform (frontEnd = differentiable mel spectrogram + standardisation; SNR in dB)
 * or on the linear mel magnitude (range [0, inf)). An optional mask confines delta to chosen
 * time-frequency segments (planted truth). Only excerpts the detector gets right and whose label
 * is the direction's source class are attacked; the first `n` successes are kept.
 *
 * Both domains are returned as the mel-magnitude pair (clean M, perturbation dM = M(x_adv) - M(x)),
 * the common ground of LIME and of the veracity test.
 *
 * @example
 *   const adv = await craftAdversaries(d, songs, candidates, { domain: 'wave', direction: 'sing->no sing', n: 5 });
 *   adv.snrDb; adv.magClean; adv.deltaMag; disposeAdversaries(adv);
 */
import * as tf from '@tensorflow/tfjs';
import { flipAttack } from '../../attacks';
import { checkOptions } from '../../engine';
import { DetectorDomains } from './detector';
import { excerptLabels, excerptMagnitudes, excerptWaves, ExcerptRef } from './excerpts';
import { SvdSong } from './songs';

export type Direction = 'no sing->sing' | 'sing->no sing';
export type AttackDomain = 'wave' | 'spec';
export const DIRECTIONS: Direction[] = ['no sing->sing', 'sing->no sing'];

export interface CraftOptions {
  domain: AttackDomain;
  direction: Direction;
  /** Successful adversaries to keep (default 10, as the paper per file and direction). */
  n?: number;
  steps?: number;
  lr?: number;
  clip?: number;
  c?: number;
  threshold?: number;
  /** At most this many kept per song (default: no cap; the paper: 10 per file and direction). */
  perSong?: number;
  /** Stop after attacking this many candidates (default: no cap). */
  maxAttacked?: number;
  /** Excerpts attacked per call (default 8). */
  batchSize?: number;
  /** Per candidate excerpt: the segments delta may touch, as a [115, 80] 0/1 mask (optional). */
  masks?: Float32Array[];
}

export interface Adversaries {
  domain: AttackDomain;
  direction: Direction;
  refs: ExcerptRef[];
  /** Clean and adversarial P(sing). */
  pClean: number[];
  pAdv: number[];
  /** SNR of the perturbation in its own domain (dB). */
  snrDb: number[];
  iterations: number[];
  /** Index into the candidate list of each kept excerpt. */
  candidateIndex: number[];
  /** Clean mel magnitude [n, 115, 80] and dM = M(x_adv) - M(x). */
  magClean: tf.Tensor3D;
  deltaMag: tf.Tensor3D;
  /** Waveform domain only: clean and adversarial audio [n, 36934]. */
  wave?: tf.Tensor2D;
  waveAdv?: tf.Tensor2D;
  /** Candidates attacked and successes among them. */
  attacked: number;
  succeeded: number;
}

function probs(d: DetectorDomains, m: tf.Tensor): number[] {
  return Array.from(tf.tidy(() => tf.sigmoid(d.logitOfMag(m)).dataSync()));
}

export async function craftAdversaries(d: DetectorDomains, songs: SvdSong[], candidates: ExcerptRef[], options: CraftOptions): Promise<Adversaries> {
  const where = 'craftAdversaries';
  checkOptions(where, options, ['domain', 'direction', 'n', 'steps', 'lr', 'clip', 'c', 'threshold', 'batchSize', 'masks', 'perSong', 'maxAttacked']);
  const { domain, direction, n = 10, steps = 1000, lr = 3e-4, clip = 0.01, c = 2, threshold = 0.51, batchSize = 8, masks, perSong = Infinity, maxAttacked = Infinity } = options;
  if (domain !== 'wave' && domain !== 'spec') throw new Error(`${where}: domain must be 'wave' or 'spec', got ${domain}.`);
  if (!DIRECTIONS.includes(direction)) throw new Error(`${where}: direction must be one of ${DIRECTIONS.join(', ')}, got ${direction}.`);
  if (masks && masks.length !== candidates.length) throw new Error(`${where}: ${masks.length} masks for ${candidates.length} candidates.`);
  if (masks && domain !== 'spec') throw new Error(`${where}: masks confine delta to time-frequency segments; use domain 'spec'.`);
  const source = direction === 'no sing->sing' ? 0 : 1;
  const labels = excerptLabels(songs, candidates);
  // keep candidates of the source class that the detector classifies correctly
  const eligible: number[] = [];
  const B = 64;
  for (let s = 0; s < candidates.length; s += B) {
    const part = candidates.slice(s, s + B);
    const m = excerptMagnitudes(songs, part);
    const p = probs(d, m);
    m.dispose();
    p.forEach((v, j) => {
      const i = s + j;
      if (labels[i] === source && (v >= threshold ? 1 : 0) === source) eligible.push(i);
    });
  }
  const out: Adversaries = {
    domain, direction, refs: [], pClean: [], pAdv: [], snrDb: [], iterations: [], candidateIndex: [],
    magClean: null as unknown as tf.Tensor3D, deltaMag: null as unknown as tf.Tensor3D, attacked: 0, succeeded: 0,
  };
  const clean: tf.Tensor[] = [], deltas: tf.Tensor[] = [], waves: tf.Tensor[] = [], wavesAdv: tf.Tensor[] = [];
  const perSongCount = new Map<number, number>();
  const room = (i: number) => (perSongCount.get(candidates[i].song) ?? 0) < perSong;
  let queue = eligible.slice();
  while (queue.length && out.refs.length < n && out.attacked < maxAttacked) {
    const idx = queue.filter(room).slice(0, Math.min(batchSize, maxAttacked - out.attacked));
    if (!idx.length) break;
    queue = queue.filter((i) => !idx.includes(i));
    const refs = idx.map((i) => candidates[i]);
    const x = domain === 'wave' ? excerptWaves(songs, refs) : excerptMagnitudes(songs, refs);
    const mask = masks ? tf.tensor3d(Float32Array.from(idx.flatMap((i) => Array.from(masks[i]))), x.shape as [number, number, number]) : undefined;
    const r = await flipAttack(d.logit, x, null, {
      frontEnd: domain === 'wave' ? d.zOfWave : d.zOfMag,
      range: domain === 'wave' ? [-1, 1] : [0, Infinity],
      steps, lr, clip, c, threshold, mask,
    });
    mask?.dispose();
    out.attacked += idx.length;
    const m0 = domain === 'wave' ? tf.tidy(() => d.magOfWave(x)) : x.clone();
    const m1 = domain === 'wave' ? tf.tidy(() => d.magOfWave(r.xAdv)) : r.xAdv.clone();
    const p0 = probs(d, m0), p1 = probs(d, m1);
    const keep: number[] = [];
    r.success.forEach((ok, j) => {
      // success as the detector sees the excerpt's mel magnitudes
      const flipped = (p1[j] >= threshold ? 1 : 0) !== source;
      if (ok && flipped && out.refs.length + keep.length < n && room(idx[j])) {
        keep.push(j);
        perSongCount.set(refs[j].song, (perSongCount.get(refs[j].song) ?? 0) + 1);
      }
    });
    out.succeeded += r.success.filter((v, j) => v && (p1[j] >= threshold ? 1 : 0) !== source).length;
    if (keep.length) {
      const kt = tf.tensor1d(keep, 'int32');
      clean.push(tf.gather(m0, kt));
      deltas.push(tf.tidy(() => tf.sub(tf.gather(m1, kt), tf.gather(m0, kt))));
      if (domain === 'wave') {
        waves.push(tf.gather(x, kt));
        wavesAdv.push(tf.gather(r.xAdv, kt));
      }
      kt.dispose();
      for (const j of keep) {
        out.refs.push(refs[j]);
        out.candidateIndex.push(idx[j]);
        out.pClean.push(p0[j]);
        out.pAdv.push(p1[j]);
        out.snrDb.push(r.snrDb[j]);
        out.iterations.push(r.iterations[j]);
      }
    }
    tf.dispose([x, r.xAdv, m0, m1]);
  }
  const cat = (ts: tf.Tensor[], shape: number[]) => {
    const t = ts.length ? tf.concat(ts, 0) : tf.zeros(shape);
    tf.dispose(ts);
    return t;
  };
  out.magClean = cat(clean, [0, 115, 80]) as tf.Tensor3D;
  out.deltaMag = cat(deltas, [0, 115, 80]) as tf.Tensor3D;
  if (domain === 'wave') {
    out.wave = cat(waves, [0, 36934]) as tf.Tensor2D;
    out.waveAdv = cat(wavesAdv, [0, 36934]) as tf.Tensor2D;
  }
  return out;
}

/** Release an adversarial set's tensors. */
export function disposeAdversaries(a: Adversaries): void {
  tf.dispose([a.magClean, a.deltaMag, ...(a.wave ? [a.wave] : []), ...(a.waveAdv ? [a.waveAdv] : [])]);
}
