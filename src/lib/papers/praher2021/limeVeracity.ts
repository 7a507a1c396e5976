/**
 * P2's veracity test of LIME (Praher et al. 2021, arXiv 2107.09045) on a set of adversarial
 * examples: explain each adversarial excerpt with LIME over 5 time x 4 frequency segments (off =
 * the excerpt mean, cosine kernel w = 0.25, ridge alpha = 1), oriented towards the adversarial
 * class (weights for P(no sing) = -weights for P(sing)); then keep the perturbation only in
 *   - LIME's top-3 segments (Table 1),
 *   - LIME's positively weighted segments vs the same number of highest-energy segments (Table 2),
 *   - the top-k of either ranking for k = 1..20 (Fig. 2),
 * and count how often the decision still flips. An explanation is "correct" when its top-3
 * segments alone still flip the decision (used for Fig. 4, fidelity).
 *
 * @example
 *   const ex = await limeOnAdversaries(d, adv, { nSamples: 512, seed: 1 });
 *   const v = await veracity(d, adv, ex);   // v.top3, v.positive, v.energyPositive, v.curve
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { audioTimeFreqGrid, lime } from '../../explain';
import { energyFlipRate, limeFlipRate, limeVeracityCurve, LimeVeracityCurveResult, segmentEnergy, topKOverlap } from '../../metrics';
import { Adversaries } from './craftAdversaries';
import { DetectorDomains } from './detector';
import { EXCERPT_FRAMES, N_MELS } from './songs';

/** P2's segmentation: 5 time segments x 4 frequency bands; label = t * 4 + f. */
export const GRID = audioTimeFreqGrid(EXCERPT_FRAMES, N_MELS, 5, 4);
export const N_SEGMENTS = 20;

/** The grid as a [115, 80] int32 tensor (the metrics' segmentation). */
export function gridTensor(): tf.Tensor2D {
  return tf.tensor2d(GRID, [EXCERPT_FRAMES, N_MELS], 'int32');
}

/** "t2 f1"-style name of a segment (t: time segment 1-5, f: band 1-4 from low to high). */
export function segmentName(s: number): string {
  return `t${Math.floor(s / 4) + 1} f${(s % 4) + 1}`;
}

export interface LimeSet {
  /** Per example, per segment, oriented towards the adversarial class. */
  weights: number[][];
  fidelity: number[];
  /** LIME's own prediction P(sing) of the explained (adversarial) excerpt. */
  prediction: number[];
}

/**
 * LIME's "off" value for a segment: 'audioLIME mean' (the authors': the mean of the un-normalised
 * log-mel excerpt, standardised per band) or 'standardised mean' (ours before: the scalar mean of
 * the standardised excerpt Z).
 */
export type LimeOff = 'audioLIME mean' | 'standardised mean';
export const LIME_OFFS: LimeOff[] = ['audioLIME mean', 'standardised mean'];

/** The off input [N, 115, 80, 1] (in Z) for standardised excerpts z [N, 115, 80, 1]. */
export function limeOffValue(d: DetectorDomains, z: tf.Tensor, off: LimeOff = 'audioLIME mean'): tf.Tensor {
  if (!LIME_OFFS.includes(off)) throw new Error(`limeOffValue: off must be one of ${LIME_OFFS.map((o) => `'${o}'`).join(', ')}, got ${String(off)}.`);
  return tf.tidy(() => {
    if (off === 'standardised mean') return tf.broadcastTo(z.mean([1, 2, 3], true), z.shape);
    const l = d.logMelOfZ(z);
    const m = tf.broadcastTo(l.mean([1, 2], true), l.shape);
    return d.zOfLogMel(m);
  });
}

/** Clean log-mel L = ln(max(1e-7, M)) and the perturbation dL = ln(max(1e-7, M + dM)) - L, both [N, 115, 80]. */
export function logMelPair(magClean: tf.Tensor, deltaMag: tf.Tensor): { l: tf.Tensor3D; dl: tf.Tensor3D } {
  if (magClean.rank !== 3 || deltaMag.rank !== 3 || magClean.shape.join() !== deltaMag.shape.join()) {
    throw new Error(`logMelPair: magnitudes and their perturbation must be the same [N, 115, 80], got [${magClean.shape}] and [${deltaMag.shape}].`);
  }
  return tf.tidy(() => {
    const l = tf.log(tf.maximum(magClean, 1e-7)) as tf.Tensor3D;
    const dl = tf.sub(tf.log(tf.maximum(tf.add(magClean, deltaMag), 1e-7)), l) as tf.Tensor3D;
    return { l, dl };
  });
}

/** The energy baseline's ranking quantity: sum of dL^2 per segment, [N][20] (authors: delta_to_binary_mask on delta). */
export function logMelEnergy(magClean: tf.Tensor, deltaMag: tf.Tensor): number[][] {
  const { l, dl } = logMelPair(magClean, deltaMag);
  const seg = gridTensor();
  try {
    return segmentEnergy(dl, seg, { nSegments: N_SEGMENTS });
  } finally {
    tf.dispose([l, dl, seg]);
  }
}

export interface LimeRunOptions {
  /** Value of a switched-off segment (default 'audioLIME mean', the authors'). */
  off?: LimeOff;
  nSamples?: number;
  seed?: number;
  batchSize?: number;
  kernelWidth?: number;
  alpha?: number;
}

/** Explain a batch of standardised excerpts z [N, 115, 80, 1] with LIME; sign +1 explains P(sing), -1 P(no sing). */
export async function limeExplain(d: DetectorDomains, z: tf.Tensor, signs: number[], options: LimeRunOptions = {}): Promise<LimeSet> {
  checkOptions('limeExplain', options, ['off', 'nSamples', 'seed', 'batchSize', 'kernelWidth', 'alpha']);
  if (signs.length !== z.shape[0]) throw new Error(`limeExplain: ${signs.length} signs for ${z.shape[0]} excerpts.`);
  if (z.shape[0] === 0) return { weights: [], fidelity: [], prediction: [] };
  const { off = 'audioLIME mean', nSamples = 8192, seed = 0, batchSize = 256, kernelWidth = 0.25, alpha = 1 } = options;
  const offZ = limeOffValue(d, z, off);
  let r: Awaited<ReturnType<typeof lime>>;
  try {
    r = await lime(d.prob, z, { target: 0, segments: GRID, off: offZ, nSamples, seed, batchSize, kernelWidth, alpha });
  } finally {
    offZ.dispose();
  }
  r.map.dispose();
  return { weights: r.weights.map((w, i) => w.map((v) => v * signs[i])), fidelity: r.fidelity, prediction: r.prediction };
}

/** LIME on the adversarial excerpts of a set, oriented towards the adversarial class. */
export async function limeOnAdversaries(d: DetectorDomains, adv: Adversaries, options: LimeRunOptions = {}): Promise<LimeSet> {
  const z = tf.tidy(() => d.zOfMag(tf.add(adv.magClean, adv.deltaMag)));
  try {
    const sign = adv.direction === 'no sing->sing' ? 1 : -1;
    return await limeExplain(d, z, new Array<number>(z.shape[0]).fill(sign), options);
  } finally {
    z.dispose();
  }
}

export interface VeracityResult {
  n: number;
  /** Table 1: share still flipped keeping LIME's top-3 segments. */
  top3: number;
  /** Table 2: keeping LIME's positively weighted segments / as many highest-energy segments. */
  positive: number;
  energyPositive: number;
  /** Energy-based top-3 (for comparison with Table 1; segments ranked by sum dL^2 in log-mel). */
  energyTop3: number;
  /** Mean number of positively weighted segments. */
  meanPositive: number;
  /** Mean top-3 overlap of LIME and energy rankings. */
  overlapTop3: number;
  /** Per example: top-3 flips (the explanation is "correct"). */
  correct: boolean[];
  curve: LimeVeracityCurveResult;
}

export async function veracity(d: DetectorDomains, adv: Adversaries, ex: LimeSet, options: { threshold?: number; ks?: number[] } = {}): Promise<VeracityResult | null> {
  checkOptions('veracity', options, ['threshold', 'ks']);
  const n = adv.refs.length;
  if (n === 0) return null;
  const threshold = options.threshold ?? 0.51;
  const ks = options.ks ?? Array.from({ length: N_SEGMENTS }, (_, i) => i + 1);
  const seg = gridTensor();
  // the authors' domain: un-normalised log-mel L, perturbation dL (see the header)
  const model = d.logitOfLogMel;
  const { l: x, dl: delta } = logMelPair(adv.magClean, adv.deltaMag);
  try {
    const t3 = await limeFlipRate(model, x, delta, seg, ex.weights, { k: 3, threshold });
    const pos = await limeFlipRate(model, x, delta, seg, ex.weights, { k: 'positive', threshold });
    const nPos = ex.weights.map((w) => w.filter((v) => v > 0).length);
    const en = await energyFlipRate(model, x, delta, seg, { k: nPos, threshold });
    const en3 = await energyFlipRate(model, x, delta, seg, { k: 3, threshold });
    const energy = segmentEnergy(delta, seg, { nSegments: N_SEGMENTS });
    const overlap = topKOverlap(ex.weights, energy, { k: 3 });
    const curve = await limeVeracityCurve(model, x, delta, seg, ex.weights, { ks, threshold });
    return {
      n,
      top3: t3.value,
      positive: pos.value,
      energyPositive: en.value,
      energyTop3: en3.value,
      meanPositive: nPos.reduce((a, b) => a + b, 0) / n,
      overlapTop3: overlap.value,
      correct: (t3.perExample as number[]).map((v) => v === 1),
      curve,
    };
  } finally {
    tf.dispose([seg, x, delta]);
  }
}

/** 20 segment values painted onto an [80 bands][115 frames] image, high bands first (for heatmaps). */
export function paintSegments(values: ArrayLike<number>): number[][] {
  if (values.length !== N_SEGMENTS) throw new Error(`paintSegments: need ${N_SEGMENTS} values, got ${values.length}.`);
  return Array.from({ length: N_MELS }, (_, r) => {
    const b = N_MELS - 1 - r;
    return Array.from({ length: EXCERPT_FRAMES }, (_, t) => values[GRID[t * N_MELS + b]]);
  });
}

/** One excerpt [115, 80] (tensor or flat array) as an [80][115] image, high bands first. */
export function excerptImage(x: tf.Tensor | ArrayLike<number>): number[][] {
  const v = x instanceof tf.Tensor ? x.dataSync() : x;
  if (v.length !== EXCERPT_FRAMES * N_MELS) throw new Error(`excerptImage: need ${EXCERPT_FRAMES * N_MELS} values, got ${v.length}.`);
  return Array.from({ length: N_MELS }, (_, r) => {
    const b = N_MELS - 1 - r;
    return Array.from({ length: EXCERPT_FRAMES }, (_, t) => v[t * N_MELS + b]);
  });
}
