/**
 * The notebook's three composite studies for P2 (Praher et al. 2021, arXiv 2107.09045), each a
 * loop over the paper's settings:
 *   veracityStudy:  per attack domain, the authors' whole-song (span) attacks on the test songs; per
 *                   direction, adversarial excerpts drawn from the flipped frames; LIME on each and
 *                   the veracity test (Tables 1-2, Figs. 2 and 4);
 *   subsetStudy:    Fig. 3 the authors' way (explain_subset_perturbations.py): keep each adversary's
 *                   perturbation only in its k highest-energy segments (k in {1, 3, 5}), rerun LIME,
 *                   and count how many of the k kept segments LIME ranks in its top k;
 *   plantedStudy:   OUR extension: masked spectrogram attacks confined to k random segments, then how
 *                   many of the k segments LIME and pooled Integrated Gradients rank in their top k;
 *   horseStudy:     draw shapes onto no-sing excerpts, P(sing) before / after, and whether LIME's
 *                   top segments cover the drawing (Fig. 1).
 *
 * @example
 *   const v = await veracityStudy(d, test, cfg);   v.sets['no sing->sing'].wave.top3
 */
import * as tf from '@tensorflow/tfjs';
import { detectionCount, segmentEnergy, topKIndices } from '../../metrics';
import type { P2Config } from './config';
import { Adversaries, AttackDomain, craftAdversaries, Direction, DIRECTIONS } from './craftAdversaries';
import { DetectorDomains } from './detector';
import { drawShape, SHAPES, ShapeKind } from './drawShape';
import { excerptBatch, ExcerptRef } from './excerpts';
import { excerptImage, GRID, limeExplain, limeOnAdversaries, LimeSet, logMelPair, N_SEGMENTS, veracity, VeracityResult } from './limeVeracity';
import { attackSong, chooseSpans, disposeSongAttack, framePSing, pickAdversaries, SongAttack } from './songAttack';
import { pooledIntegratedGradients, segmentMasks } from './plantedTruth';
import { SvdSong } from './songs';
import type { Standardizer } from '../../audio';
import type { VeracitySets } from './summaries';

/** One attacked span: where, how many Adam steps, whether every frame flipped, SNR (dB). */
export interface SpanRow {
  domain: AttackDomain;
  song: string;
  start: number;
  frames: number;
  decided: number;
  iterations: number;
  converged: boolean;
  flippedShare: number;
  snrDb: number;
  /** Decided frames predicted sung before / after the attack. */
  sungBefore: number;
  sungAfter: number;
}

export interface VeracityStudy {
  sets: VeracitySets;
  adversaries: Record<Direction, Record<AttackDomain, Adversaries>>;
  lime: Record<Direction, Record<AttackDomain, LimeSet>>;
  spans: SpanRow[];
  /** CPU-independent wall time per setting (s). */
  seconds: Record<string, number>;
}

type Tick = (label: string) => void;

export async function veracityStudy(d: DetectorDomains, songs: SvdSong[], cfg: P2Config, onSet?: Tick): Promise<VeracityStudy> {
  const a = cfg.attack;
  const out = { sets: {}, adversaries: {}, lime: {}, spans: [], seconds: {} } as unknown as VeracityStudy;
  for (const dir of DIRECTIONS) {
    (out.sets as any)[dir] = {};
    (out.adversaries as any)[dir] = {};
    (out.lime as any)[dir] = {};
  }
  for (const dom of ['wave', 'spec'] as AttackDomain[]) {
    const t0 = Date.now();
    const attacks: SongAttack[] = [];
    try {
      for (let si = 0; si < songs.length; si++) {
        // spans chosen by the detector's clean decisions (closest to half 'sing'), so both directions have frames to flip
        const pSing = a.spanFrames === null ? undefined : framePSing(d, songs, si, { stride: a.decisionStride });
        for (const span of chooseSpans(songs[si], { frames: a.spanFrames, n: a.spansPerSong, pSing: pSing, threshold: cfg.threshold })) {
          const r = await attackSong(d, songs, si, { domain: dom, start: span.start, frames: span.frames, steps: a.steps, lr: a.lr, clip: a.clip, alpha: a.c, threshold: cfg.threshold, batchSize: a.batchSize });
          attacks.push(r);
          const dec = (p: number) => p >= cfg.threshold;
          out.spans.push({
            domain: dom, song: r.name, start: r.start, frames: r.frames, decided: r.centres.length, iterations: r.iterations, converged: r.converged,
            flippedShare: r.flippedShare, snrDb: r.snrDb, sungBefore: r.pClean.filter(dec).length, sungAfter: r.pAdv.filter(dec).length,
          });
        }
      }
      out.seconds[`attack ${dom}`] = (Date.now() - t0) / 1000;
      onSet?.(`attack ${dom}`);
      for (const dir of DIRECTIONS) {
        const t1 = Date.now();
        const adv = pickAdversaries(attacks, { direction: dir, perSong: a.perSong, seed: cfg.seed, threshold: cfg.threshold });
        const ex = await limeOnAdversaries(d, adv, { nSamples: cfg.lime.nSamples, batchSize: cfg.lime.batchSize, seed: cfg.seed });
        out.sets[dir][dom] = await veracity(d, adv, ex, { threshold: cfg.threshold });
        out.adversaries[dir][dom] = adv;
        out.lime[dir][dom] = ex;
        out.seconds[`${dir} ${dom}`] = (Date.now() - t1) / 1000;
        onSet?.(`${dir} / ${dom}`);
      }
    } finally {
      attacks.forEach(disposeSongAttack);
    }
  }
  return out;
}

export interface SubsetRow {
  direction: Direction;
  domain: AttackDomain;
  k: number;
  /** Adversaries tried, and those whose k-segment perturbation still flips (the ones counted, as the authors). */
  tried: number;
  n: number;
  /** Per counted adversary: how many of the k kept segments LIME ranks in its top k. */
  detected: number[];
  /** P(sing) with the perturbation kept in the k segments, per tried adversary. */
  pKept: number[];
}

/**
 * Fig. 3 the authors' way (CPJKU/veracity explain_subset_perturbations.py and
 * create_subset_perturbation_figure.py): for each adversary, keep its log-mel perturbation dL only
 * in its k highest-energy segments (sum dL^2), rerun LIME on that input (towards the adversarial
 * class), and count how many of the k kept segments are among LIME's top-k; only inputs that still
 * flip are counted.
 */
export async function subsetStudy(d: DetectorDomains, study: VeracityStudy, cfg: P2Config, onSet?: Tick): Promise<SubsetRow[]> {
  const rows: SubsetRow[] = [];
  for (const dir of DIRECTIONS) {
    for (const dom of ['wave', 'spec'] as AttackDomain[]) {
      const adv = study.adversaries[dir][dom];
      const n = Math.min(cfg.fig3.perSetting, adv.refs.length);
      if (n === 0) {
        cfg.fig3.ks.forEach((k) => rows.push({ direction: dir, domain: dom, k, tried: 0, n: 0, detected: [], pKept: [] }));
        continue;
      }
      const { l, dl } = logMelPair(adv.magClean.slice(0, n), adv.deltaMag.slice(0, n));
      const seg = tf.tensor2d(GRID, [115, 80], 'int32');
      const energy = segmentEnergy(dl, seg, { nSegments: N_SEGMENTS });
      seg.dispose();
      const sign = dir === 'no sing->sing' ? 1 : -1;
      try {
        for (const k of cfg.fig3.ks) {
          const kept = energy.map((e) => topKIndices(e, k));
          const mask = tf.tensor3d(Float32Array.from({ length: n * GRID.length }, (_, j) => (kept[Math.floor(j / GRID.length)].includes(GRID[j % GRID.length]) ? 1 : 0)), [n, 115, 80]);
          const z = tf.tidy(() => d.zOfLogMel(tf.add(l, tf.mul(dl, mask))));
          mask.dispose();
          const pKept = Array.from(tf.tidy(() => (d.prob.apply(z, { training: false }) as tf.Tensor).dataSync()));
          const ex = await limeExplain(d, z, new Array<number>(n).fill(sign), { nSamples: cfg.lime.nSamples, batchSize: cfg.lime.batchSize, seed: cfg.seed });
          z.dispose();
          const detected: number[] = [];
          pKept.forEach((p, i) => {
            const flips = sign > 0 ? p > cfg.threshold : p < cfg.threshold;
            if (!flips) return;
            const top = topKIndices(ex.weights[i], k);
            detected.push(kept[i].filter((s) => top.includes(s)).length);
          });
          rows.push({ direction: dir, domain: dom, k, tried: n, n: detected.length, detected, pKept });
          onSet?.(`${dir} / ${dom} / k = ${k}`);
        }
      } finally {
        tf.dispose([l, dl]);
      }
    }
  }
  return rows;
}

/** Fidelity of explanations whose top-3 does / does not reproduce the flip (Fig. 4), all settings pooled. */
export function fidelityByCorrectness(study: VeracityStudy): { correct: number[]; incorrect: number[] } {
  const correct: number[] = [], incorrect: number[] = [];
  for (const dir of DIRECTIONS) {
    for (const dom of ['wave', 'spec'] as AttackDomain[]) {
      const v: VeracityResult | null = study.sets[dir][dom];
      if (!v) continue;
      study.lime[dir][dom].fidelity.forEach((f, i) => (v.correct[i] ? correct : incorrect).push(f));
    }
  }
  return { correct, incorrect };
}

export interface PlantedRow {
  k: number;
  direction: Direction;
  /** Adversaries found with delta confined to the k segments. */
  n: number;
  /** Mean share of the k perturbed segments in the method's top k. */
  lime: number;
  ig: number;
  /** Expected share for a random ranking: k / 20. */
  chance: number;
  limeCount: number;
  igCount: number;
}

export async function plantedStudy(d: DetectorDomains, songs: SvdSong[], candidates: ExcerptRef[], cfg: P2Config, onK?: Tick): Promise<PlantedRow[]> {
  const rows: PlantedRow[] = [];
  for (const k of cfg.masked.ks) {
    for (const dir of DIRECTIONS) {
      const { segments, masks } = segmentMasks(candidates.length, k, cfg.seed);
      const adv = await craftAdversaries(d, songs, candidates, {
        domain: 'spec', direction: dir, n: cfg.masked.perK, steps: cfg.masked.steps, lr: cfg.masked.lr, clip: cfg.attack.clip, c: cfg.attack.c,
        threshold: cfg.threshold, batchSize: Math.min(cfg.masked.maxAttacked, 16), masks, maxAttacked: cfg.masked.maxAttacked,
      });
      try {
        const truth = adv.candidateIndex.map((i) => segments[i]);
        if (truth.length === 0) {
          rows.push({ k, direction: dir, n: 0, lime: NaN, ig: NaN, chance: k / N_SEGMENTS, limeCount: NaN, igCount: NaN });
          continue;
        }
        const ex = await limeOnAdversaries(d, adv, { nSamples: cfg.lime.nSamples, batchSize: cfg.lime.batchSize, seed: cfg.seed });
        const z = tf.tidy(() => d.zOfMag(tf.add(adv.magClean, adv.deltaMag)));
        const sign = dir === 'no sing->sing' ? 1 : -1;
        const ig = await pooledIntegratedGradients(d, z, new Array<number>(truth.length).fill(sign), { steps: cfg.ig.steps });
        z.dispose();
        const dl = detectionCount(ex.weights, truth);
        const di = detectionCount(ig, truth);
        rows.push({ k, direction: dir, n: truth.length, lime: dl.fraction, ig: di.fraction, chance: k / N_SEGMENTS, limeCount: dl.value, igCount: di.value });
      } finally {
        tf.dispose([adv.magClean, adv.deltaMag]);
      }
      onK?.(`k = ${k}, ${dir}`);
    }
  }
  return rows;
}

export interface HorseRow {
  excerpt: number;
  shape: ShapeKind;
  /** The frequency band (0-3) where this shape moved P(sing) most. */
  band: number;
  before: number;
  after: number;
  /** Segments the drawing touches and how many of them LIME ranks in its top |drawn| (LIME runs on the strongest drawing only). */
  drawn: number[];
  drawnInTop: number;
  explained: boolean;
}

/**
 * For each excerpt and shape, draw into time segment `timeSegment` (default 2, the centre) of every
 * band and keep the band that raises P(sing) most; LIME explains the strongest drawing of the excerpt.
 */
export async function horseStudy(
  d: DetectorDomains, songs: SvdSong[], st: Standardizer, refs: ExcerptRef[], cfg: P2Config, timeSegment = 2,
): Promise<{ rows: HorseRow[]; maps: { clean: number[][]; drawn: number[][]; lime: number[]; title: string }[] }> {
  const rows: HorseRow[] = [];
  const maps: { clean: number[][]; drawn: number[][]; lime: number[]; title: string }[] = [];
  const { x, y } = excerptBatch(songs, refs, st);
  y.dispose();
  try {
    const before = Array.from(tf.tidy(() => (d.prob.apply(x, { training: false }) as tf.Tensor).dataSync()));
    for (let i = 0; i < refs.length; i++) {
      const xi = x.slice(i, 1);
      let best: { row: HorseRow; z: tf.Tensor } | null = null;
      for (const shape of SHAPES) {
        let top: { row: HorseRow; z: tf.Tensor } | null = null;
        for (let band = 0; band < 4; band++) {
          const { z, segments } = drawShape(xi, { kind: shape, timeSegment, band, level: cfg.horses.level });
          const p = tf.tidy(() => (d.prob.apply(z, { training: false }) as tf.Tensor).dataSync()[0]);
          if (!top || p > top.row.after) {
            top?.z.dispose();
            top = { row: { excerpt: i, shape, band, before: before[i], after: p, drawn: segments, drawnInTop: NaN, explained: false }, z };
          } else z.dispose();
        }
        rows.push(top!.row);
        if (!best || top!.row.after > best.row.after) {
          best?.z.dispose();
          best = top;
        } else top!.z.dispose();
      }
      const ex = await limeExplain(d, best!.z, [1], { nSamples: cfg.lime.nSamples, batchSize: cfg.lime.batchSize, seed: cfg.seed });
      best!.row.drawnInTop = detectionCount(ex.weights, [best!.row.drawn]).value;
      best!.row.explained = true;
      maps.push({ clean: excerptImage(xi), drawn: excerptImage(best!.z), lime: ex.weights[0], title: `excerpt ${i + 1}: ${best!.row.shape}, P ${best!.row.before.toFixed(2)} -> ${best!.row.after.toFixed(2)}` });
      tf.dispose([xi, best!.z]);
    }
  } finally {
    x.dispose();
  }
  return { rows, maps };
}
