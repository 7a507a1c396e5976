/**
 * The notebook's three composite studies for P2 (Praher et al. 2021, arXiv 2107.09045), each a
 * loop over the paper's settings:
 *   veracityStudy:  for both directions x both attack domains, craft adversaries, explain them with
 *                   LIME and run the veracity test (Tables 1-2, Figs. 2 and 4);
 *   plantedStudy:   masked spectrogram attacks on k random segments (k in {1, 3, 5}), then how many
 *                   of the k segments LIME and pooled Integrated Gradients rank in their top k (Fig. 3);
 *   horseStudy:     draw shapes onto no-sing excerpts, P(sing) before / after, and whether LIME's
 *                   top segments cover the drawing (Fig. 1).
 *
 * @example
 *   const v = await veracityStudy(d, test, candidates, cfg);   v.sets['no sing->sing'].wave.top3
 */
import * as tf from '@tensorflow/tfjs';
import { detectionCount } from '../../metrics/detectionCount';
import type { P2Config } from './config';
import { Adversaries, AttackDomain, craftAdversaries, Direction, DIRECTIONS } from './craftAdversaries';
import { DetectorDomains } from './detector';
import { drawShape, SHAPES, ShapeKind } from './drawShape';
import { excerptBatch, ExcerptRef } from './excerpts';
import { excerptImage, limeExplain, limeOnAdversaries, LimeSet, N_SEGMENTS, veracity, VeracityResult } from './limeVeracity';
import { pooledIntegratedGradients, segmentMasks } from './plantedTruth';
import { SvdSong } from './songs';
import type { Standardizer } from '../../audio/standardizer';
import type { VeracitySets } from './summaries';

export interface VeracityStudy {
  sets: VeracitySets;
  adversaries: Record<Direction, Record<AttackDomain, Adversaries>>;
  lime: Record<Direction, Record<AttackDomain, LimeSet>>;
  /** CPU-independent wall time per setting (s). */
  seconds: Record<string, number>;
}

type Tick = (label: string) => void;

export async function veracityStudy(d: DetectorDomains, songs: SvdSong[], candidates: ExcerptRef[], cfg: P2Config, onSet?: Tick): Promise<VeracityStudy> {
  const a = cfg.attack;
  const out = { sets: {}, adversaries: {}, lime: {}, seconds: {} } as VeracityStudy;
  for (const dir of DIRECTIONS) {
    (out.sets as any)[dir] = {};
    (out.adversaries as any)[dir] = {};
    (out.lime as any)[dir] = {};
    for (const dom of ['wave', 'spec'] as AttackDomain[]) {
      const t0 = Date.now();
      const adv = await craftAdversaries(d, songs, candidates, {
        domain: dom, direction: dir, n: a.perDirection, perSong: a.perSong, steps: a.steps, lr: a.lr, clip: a.clip, c: a.c, threshold: cfg.threshold, batchSize: a.batchSize,
      });
      const ex = await limeOnAdversaries(d, adv, { nSamples: cfg.lime.nSamples, batchSize: cfg.lime.batchSize, seed: cfg.seed });
      out.sets[dir][dom] = await veracity(d, adv, ex, { threshold: cfg.threshold });
      out.adversaries[dir][dom] = adv;
      out.lime[dir][dom] = ex;
      out.seconds[`${dir} ${dom}`] = (Date.now() - t0) / 1000;
      onSet?.(`${dir} / ${dom}`);
    }
  }
  return out;
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
