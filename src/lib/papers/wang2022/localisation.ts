/**
 * Localisation of attribution maps against planted object boxes (P4, arXiv 2103.11257), per map,
 * with percentile-bootstrap 95% confidence intervals over examples:
 *
 *   energy_i   = sum_{(r,c) in box_i} sum_ch a_irc,ch^2 / sum_{r,c,ch} a_irc,ch^2        (metrics.energyInMask)
 *   pointing_i = [ argmax_{r,c} sum_ch |a_irc,ch| lies in box_i ]                        (metrics.pointingGame)
 *
 * plus the box's share of the image area (what a uniform map would score on energy). Examples with
 * an all-zero map, or marked in `exclude` for a method (e.g. no boundary point for BSM / BIG), get
 * NaN and are left out of that method's statistics (counted in nUndefined).
 *
 * @example
 *   const { rows, perExample } = localisation({ saliency: m1, bsm: m2 }, synthBoxes(test.boxes, idx), { nBoot: 2000, seed: 0 });
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions } from '../../engine';
import { boxMask, energyInMask, pointingGame } from '../../metrics';
import type { Box } from '../../metrics';
import { bootstrapCI } from '../../stats';

export type LocalisationRow = {
  method: string;
  n: number;
  energyInBox: number;
  energyLo: number;
  energyHi: number;
  pointing: number;
  pointingLo: number;
  pointingHi: number;
  /** Mean share of the image the box covers (the energy a uniform map would get). */
  boxArea: number;
  /** Examples with an all-zero map or excluded (left out). */
  nUndefined: number;
};

export interface LocalisationOptions {
  nBoot?: number;
  seed?: number;
  /** Per method name: true for examples to leave out (their values become NaN). */
  exclude?: Record<string, boolean[]>;
}

/** Boxes of synthImages ([x0, y0, x1, y1] per image, end-exclusive) as metrics Boxes, for the given images. */
export function synthBoxes(boxes: Int32Array, indices: number[]): Box[] {
  return indices.map((i) => {
    if (!Number.isInteger(i) || i < 0 || 4 * i + 3 >= boxes.length) throw new Error(`synthBoxes: index ${i} out of range (${boxes.length / 4} boxes).`);
    return { left: boxes[4 * i], top: boxes[4 * i + 1], right: boxes[4 * i + 2], bottom: boxes[4 * i + 3] };
  });
}

export interface LocalisationResult {
  rows: LocalisationRow[];
  /** Per-example values by method (energy NaN for an all-zero map), for paired comparisons. */
  perExample: Record<string, { energy: number[]; pointing: number[] }>;
}

export function localisation(maps: Record<string, tf.Tensor>, boxes: Box[], options: LocalisationOptions = {}): LocalisationResult {
  const where = 'localisation';
  checkOptions(where, options, ['nBoot', 'seed', 'exclude']);
  const { nBoot = 2000, seed = 0, exclude = {} } = options;
  const names = Object.keys(maps);
  if (names.length === 0) throw new Error(`${where}: no maps given.`);
  const first = maps[names[0]];
  if (first.rank !== 4) throw new Error(`${where}: maps must be NHWC [N, H, W, C], got shape [${first.shape}].`);
  const [n, h, w] = first.shape;
  if (boxes.length !== n) throw new Error(`${where}: ${boxes.length} boxes for ${n} maps.`);
  for (const [k, v] of Object.entries(exclude)) if (!Array.isArray(v) || v.length !== n) throw new Error(`${where}: exclude.${k} must have one entry per example (${n}).`);
  const mask = boxMask([n, h, w, 1], boxes);
  const area = boxes.reduce((a, b) => a + ((b.bottom - b.top) * (b.right - b.left)) / (h * w), 0) / n;
  const perExample: LocalisationResult['perExample'] = {};
  try {
    const rows = names.map((method, k) => {
      const a = maps[method];
      if (a.shape.join() !== first.shape.join()) throw new Error(`${where}: map "${method}" is [${a.shape}], expected [${first.shape}].`);
      const skip = exclude[method];
      const eAll = (energyInMask(a, mask).perExample as number[]).map((v, i) => (skip?.[i] ? NaN : v));
      const pAll = (pointingGame(a, mask, { absolute: true }).perExample as number[]).map((v, i) => (Number.isFinite(eAll[i]) ? v : NaN));
      const eVals = eAll.filter(Number.isFinite);
      const pVals = pAll.filter(Number.isFinite);
      perExample[method] = { energy: eAll, pointing: pAll };
      const ci = (v: number[], s: number) => (v.length ? bootstrapCI(v, { n: nBoot, seed: s }) : { estimate: NaN, lo: NaN, hi: NaN });
      const ce = ci(eVals, seed + 2 * k);
      const cp = ci(pVals, seed + 2 * k + 1);
      return {
        method, n: eVals.length, energyInBox: ce.estimate, energyLo: ce.lo, energyHi: ce.hi,
        pointing: cp.estimate, pointingLo: cp.lo, pointingHi: cp.hi, boxArea: area, nUndefined: n - eVals.length,
      };
    });
    return { rows, perExample };
  } finally {
    mask.dispose();
  }
}
